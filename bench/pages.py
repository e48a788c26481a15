"""Server time and queries of every page (`python bench/pages.py --database URL --label demo`).

In one process through django.test.Client, with the portal's settings as in production
(DEBUG off, bench/settings.py adding only the floor page): each request goes through the
whole middleware stack, the access checks, the templates. The clock runs around
`client.get()`: the server's work plus the test client's small constant part (the floor pays
it too). Pages are visited in turns, ROUNDS times (a slow patch of this shared machine slows
all alike); median and 95th percentile (nearest rank). Queries: one more request of each page
under CaptureQueriesContext, after the warm-up (not timed: the query log slows it).

Signed in as an auditor (bench/common.py), who may see every page, the history and reports;
the login page is fetched signed out. The database must hold the portal's data already
(`make bench-db-demo`, `make bench-db-large`). Writes var/bench/pages-<label>.json and prints
a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

ROUNDS = 20


def pages(project, search: str) -> list[tuple[str, str, bool]]:
    """(name, URL, signed in?) of every page measured, the floor first."""
    from django.urls import reverse

    slug = {"slug": project.slug}
    search_url = reverse("pages:index") + "?" + urlencode({"text": search})
    return [
        ("floor", reverse("bench_floor"), True),
        ("index, page 1", reverse("pages:index"), True),
        ("index, search", search_url, True),
        ("overview", reverse("pages:overview", kwargs=slug), True),
        ("partnership", reverse("pages:partners", kwargs=slug), True),
        ("budget", reverse("pages:budget", kwargs=slug), True),
        ("expenditure", reverse("expenditure:figures", kwargs=slug), True),
        ("timeline", reverse("projects:timeline", kwargs=slug), True),
        ("history", reverse("audit:project_history", kwargs=slug), True),
        ("login page", reverse("login"), False),
        ("PDF report", reverse("reports:project_report", kwargs=slug), True),
        ("JSON report", reverse("reports:project_json", kwargs=slug), True),
        ("budget CSV", reverse("funding:budget_csv", kwargs=slug), True),
        ("expenditure CSV", reverse("expenditure:figures_csv", kwargs=slug), True),
    ]


def search_word(project) -> str:
    """A word of the project's name: a search someone would make (it scans every project)."""
    words = [w for w in project.name.split() if len(w) >= 4 and w.isalpha()]
    return (words or [project.acronym])[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL (PostgreSQL)")
    parser.add_argument("--label", required=True, help="size name, e.g. demo or large")
    parser.add_argument("--project", help="slug of the project measured (default: see common)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    common.setup_django(args.database)

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from expenditure.models import ExpenditureLine
    from partners.models import Participation
    from projects.models import Project

    user = common.bench_user()
    project = common.pick_project(args.project)
    signed_in, signed_out = Client(), Client()
    signed_in.force_login(user)
    urls = pages(project, search_word(project))

    def get(url: str, auth: bool):
        response = (signed_in if auth else signed_out).get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    sizes, queries, slowest, query_ms = {}, {}, {}, {}
    for name, url, auth in urls:
        get(url, auth)  # warm: templates, fonts, the first report of its kind
        get(url, auth)
        with CaptureQueriesContext(connection) as captured:
            response = get(url, auth)
        sizes[name] = len(response.content)
        queries[name] = len(captured.captured_queries)
        query_ms[name] = sum(float(q["time"]) for q in captured) * 1000
        slowest[name] = sorted(
            ({"ms": float(q["time"]) * 1000, "sql": q["sql"][:300]} for q in captured),
            key=lambda q: -q["ms"],
        )[:3]
    load_before = common.loadavg()
    times: dict[str, list[float]] = {name: [] for name, _, _ in urls}
    for _ in range(args.rounds):
        for name, url, auth in urls:
            start = time.perf_counter()
            get(url, auth)
            times[name].append(time.perf_counter() - start)

    load_after = common.loadavg()
    own = settings.PORTAL_OWN_ORGANISATION
    data = {
        "label": args.label,
        "rounds": args.rounds,
        "search": search_word(project),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "project": {
            "slug": project.slug,
            "partners": project.participations.count(),
            "expenditure_lines": project.participations.aggregate(n=Count("expenditure_lines"))[
                "n"
            ],
        },
        "projects": Project.objects.count(),
        "own_projects": Participation.objects.filter(organisation__slug=own).count(),
        "participations": Participation.objects.count(),
        "expenditure_lines": ExpenditureLine.objects.count(),
        "pages": [
            {
                "name": name,
                "url": url,
                "median_ms": statistics.median(times[name]) * 1000,
                "p95_ms": common.percentile(times[name], 0.95) * 1000,
                "queries": queries[name],
                "bytes": sizes[name],
                "query_ms": query_ms[name],
                "slowest_queries": slowest[name],
            }
            for name, url, _ in urls
        ],
    }
    common.write_json(f"pages-{args.label}", data)
    print(f"{args.label}: project {project.slug}, {data['projects']} projects, "
          f"{args.rounds} rounds\n")  # fmt: skip
    print("| Page | Median (ms) | p95 (ms) | Queries | × floor |")
    print("|---|---:|---:|---:|---:|")
    floor = data["pages"][0]["median_ms"]
    for page in data["pages"]:
        print(
            f"| {page['name']} | {page['median_ms']:.1f} | {page['p95_ms']:.1f} "
            f"| {page['queries']} | {page['median_ms'] / floor:.1f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
