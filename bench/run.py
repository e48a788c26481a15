"""Benchmark of the funding reports (`make bench-pdf`, or `python bench/run.py` from the root).

Measures, on the database of DATABASE_URL when it is set (PostgreSQL, as in production: an
empty database of its own, e.g. `createdb bench_pdf`; it is migrated and filled here, and
can be used again), else on an in-memory SQLite database:
- the demo project's report and a 100-partner project's report, end to end (queries,
  templates, WeasyPrint), against WeasyPrint alone rendering the very HTML the report made,
  through the same function, and our part alone (the PDF step stubbed);
- resident memory over 200 reports made in one process.

Targets (the issue): demo < 0.5 s, 100 partners < 2 s, each within 1.5× of WeasyPrint
alone; memory flat. Prints a Markdown table (copied into bench/RESULTS.md); exits 1 when a
target is missed.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbact_portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

ROUNDS = 7
MEMORY_REPORTS = 200


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def seconds(function) -> float:
    # Each timed call starts from a collected heap: else the garbage one leaves behind is
    # collected (and timed) during the next, whichever of the two that is.
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def paired_medians(first, second, rounds: int = ROUNDS) -> tuple[float, float]:
    """Median times of two functions run in turns, so that a slow patch of this shared
    machine slows both alike instead of only whichever happened to run then; which of the
    two goes first alternates, so neither always runs just after the other."""
    times = []
    for i in range(rounds):
        if i % 2:
            b, a = seconds(second), seconds(first)
        else:
            a, b = seconds(first), seconds(second)
        times.append((a, b))
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def big_project(partners: int = 100):
    """100 partners, 90 with a budget (85 % or 70 % ERDF, state and municipal shares),
    10 not yet entered; the shared sources keep one column per source."""
    from funding.services import budget_set
    from projects.models import Project
    from tests import factories as f

    existing = Project.objects.filter(slug="bench100").first()
    if existing:  # a database the bench filled before
        return existing
    project = f.project("bench100", approved="9000000.00", partners=partners)
    erdf = f.erdf()
    state = f.source("bench-state", "national", 20)
    city = f.source("bench-city", "municipal", 40)
    for i, part in enumerate(project.participations.order_by("pk")[: partners - 10]):
        rate = Decimal("85") if i % 3 else Decimal("70")
        budget_set(
            participation=part,
            total=f.eur(f"{80000 + i * 137}.{i % 100:02d}"),
            plan=[(erdf, rate), (state, Decimal("5")), (city, 100 - rate - 5)],
        )
    return project


def measure(project, label: str) -> dict:
    """Ours against WeasyPrint alone on the very same HTML: the HTML that `issue_report()`
    hands to `reports.pdf.html_to_pdf()` is recorded and given again to that same function
    (same fetcher, font configuration, stylesheet and lock), so the difference is only what
    ours does before WeasyPrint: queries, change count, templates, registering."""
    from reports import pdf
    from reports.services import issue_report

    render = pdf.html_to_pdf
    seen: list[tuple[str, dict]] = []

    def recording(html: str, **options) -> bytes:
        seen.append((html, options))  # the HTML and the attached figures (funding.json)
        return render(html, **options)

    def ours():
        return issue_report(project=project, language="lv", generated_by="bench")

    pdf.html_to_pdf = recording
    try:
        ours()  # warm: fonts, stylesheet, templates (and the first report of its kind)
        issued = ours()  # a report like the timed ones: it has a previous one
    finally:
        pdf.html_to_pdf = render
    html, options = seen[-1]
    # The recorded HTML makes the same PDF (but for its creation date), so it is the same work.
    assert len(render(html, **options)) == len(issued.pdf), "the baseline is not the report"
    full, weasy = paired_medians(ours, lambda: render(html, **options))
    # What ours adds to WeasyPrint, timed directly: the same calls with the PDF step stubbed.
    pdf.html_to_pdf = lambda html, **options: issued.pdf
    try:
        own = statistics.median(seconds(ours) for _ in range(ROUNDS))
    finally:
        pdf.html_to_pdf = render
    return {
        "label": label,
        "partners": len(issued.report.funding.partners),
        "pages": issued.pdf.count(b"/Type /Page\n") or "?",
        "full": full,
        "weasy": weasy,
        "own": own,
        "ratio": full / weasy,
    }


def memory(projects) -> dict:
    from reports.services import issue_report

    def one(i):
        project = projects[i % len(projects)]
        partner = "ventspils" if project.slug == "di4c" and i % 2 else None
        issue_report(
            project=project,
            partner_slug=partner,
            language=("lv", "en")[i % 2],
            generated_by="bench",
        )

    for i in range(20):  # warm-up: caches fill
        one(i)
    start = rss_mib()
    samples = []
    for i in range(MEMORY_REPORTS):
        one(i)
        if (i + 1) % 50 == 0:
            samples.append(rss_mib())
    return {"start": start, "samples": samples, "growth": samples[-1] - start}


def main() -> int:
    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log growing in memory
    from demo.network import load_demo_network

    demo = load_demo_network()
    big = big_project()
    rows = [measure(demo, "Demo project (DI4C)"), measure(big, "100-partner project")]
    mem = memory([demo, big])

    from django.db import connection

    database = connection.vendor
    if database == "postgresql":
        database += f" {connection.pg_version // 10000}"
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {database}, "
        f"median of {ROUNDS} runs\n"
    )
    print(
        "| Report | Partners | Ours (s) | WeasyPrint alone (s) | Ours without WeasyPrint (s) "
        "| Ours / WeasyPrint | Target |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    limits = [0.5, 2.0]
    ok = True
    for row, limit in zip(rows, limits, strict=True):
        met = row["full"] < limit and row["ratio"] <= 1.5
        ok &= met
        print(
            f"| {row['label']} | {row['partners']} | {row['full']:.3f} | {row['weasy']:.3f} "
            f"| {row['own']:.3f} | {row['ratio']:.2f}× "
            f"| < {limit} s, ≤ 1.5× {'✔' if met else '✘'} |"
        )
    flat = mem["growth"] < 10
    ok &= flat
    samples = ", ".join(f"{s:.1f}" for s in mem["samples"])
    print(
        f"\nMemory over {MEMORY_REPORTS} reports in one process (after 20 warm-up reports): "
        f"RSS {mem['start']:.1f} MiB at the start; after every 50: {samples} MiB; "
        f"growth {mem['growth']:+.1f} MiB {'✔ flat' if flat else '✘ growing'} (limit 10 MiB)."
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
