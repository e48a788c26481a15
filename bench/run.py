"""Benchmark of the funding reports (`make bench`, or `python bench/run.py` from the root).

Measures, on an in-memory SQLite database:
- the demo project's report and a 100-partner project's report, end to end (queries,
  templates, WeasyPrint), against WeasyPrint alone rendering the same HTML;
- resident memory over 200 reports made in one process.

Targets (the issue): demo < 0.5 s, 100 partners < 2 s, each within 1.5× of WeasyPrint
alone; memory flat. Prints a Markdown table (copied into bench/RESULTS.md); exits 1 when a
target is missed.
"""

from __future__ import annotations

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
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

ROUNDS = 7
MEMORY_REPORTS = 200


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def paired_medians(first, second, rounds: int = ROUNDS) -> tuple[float, float]:
    """Median times of two functions run in turns, so that a slow patch of this shared
    machine slows both alike instead of only whichever happened to run then."""
    times = [(seconds(first), seconds(second)) for _ in range(rounds)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def big_project(partners: int = 100):
    """100 partners, 90 with a budget (85 % or 70 % ERDF, state and municipal shares),
    10 not yet entered; the shared sources keep one column per source."""
    from funding.services import budget_set
    from tests import factories as f

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
    from reports.data import funding_report
    from reports.pdf import html_to_pdf, render_report, report_context
    from reports.services import issue_report

    def ours():
        return issue_report(project=project, language="lv", generated_by="bench")

    issued = ours()  # warm: fonts, stylesheet, templates
    with translation.override("lv"):
        report = funding_report(project=project)
        html = render_to_string(
            "reports/project.html",
            report_context(
                report, language="lv", generated_at=timezone.now(), generated_by="bench"
            ),
        )
    assert render_report  # the same path ours() takes
    full, weasy = paired_medians(ours, lambda: html_to_pdf(html))
    return {
        "label": label,
        "partners": len(report.funding.partners),
        "pages": issued.pdf.count(b"/Type /Page\n") or "?",
        "full": full,
        "weasy": weasy,
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

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {ROUNDS} runs\n")
    print("| Report | Partners | Ours (s) | WeasyPrint alone (s) | Ours / WeasyPrint | Target |")
    print("|---|---:|---:|---:|---:|---|")
    limits = [0.5, 2.0]
    ok = True
    for row, limit in zip(rows, limits, strict=True):
        met = row["full"] < limit and row["ratio"] <= 1.5
        ok &= met
        print(
            f"| {row['label']} | {row['partners']} | {row['full']:.3f} | {row['weasy']:.3f} "
            f"| {row['ratio']:.2f}× | < {limit} s, ≤ 1.5× {'✔' if met else '✘'} |"
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
