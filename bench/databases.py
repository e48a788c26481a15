"""The benchmarks' PostgreSQL databases, made afresh (`python bench/databases.py demo|large`).

- demo: the demo network with its sample expenditure (`seed_demo --sample-expenditure`);
- large: the same, then a synthetic portfolio (`generate_portfolio`: PROJECTS projects of
  PARTNERS partners, EXPENDITURE expenditure lines in all), timed: the issue's target is
  10,000 projects in under 10 minutes. The time is kept in var/bench/generate-large.json.
  The sizes: the options, else BENCH_PROJECTS, BENCH_PARTNERS, BENCH_EXPENDITURE, else
  10,000 projects, 10 partners, 1,000,000 lines.
- pdf, runs: empty; bench/run.py and bench/report_runs.py fill them.

The server is BENCH_PG (default postgres://postgres@127.0.0.1:5432); each database is
dropped first, so only databases named bench_* are touched.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

NAMES = ("demo", "large", "pdf", "runs")


def recreate(name: str) -> str:
    database = f"bench_{name}"
    maintenance = common.database_url("postgres")
    subprocess.run(["psql", maintenance, "-qc", f"DROP DATABASE IF EXISTS {database}"],
                   check=True)  # fmt: skip
    subprocess.run(["psql", maintenance, "-qc", f"CREATE DATABASE {database}"], check=True)
    return common.database_url(database)


def manage(url: str, *arguments: str) -> None:
    env = common.portal_env(url)
    env["DEBUG"] = "1"  # seed_demo and friends are development commands
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=common.ROOT, env=env,
                   check=True)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=NAMES)
    sized = [("--projects", "BENCH_PROJECTS", 10_000), ("--partners", "BENCH_PARTNERS", 10),
             ("--expenditure", "BENCH_EXPENDITURE", 1_000_000)]  # fmt: skip
    for option, variable, default in sized:
        parser.add_argument(option, type=int, default=int(os.environ.get(variable, default)))
    args = parser.parse_args()
    url = recreate(args.name)
    if args.name in ("pdf", "runs"):
        return 0
    manage(url, "migrate", "--no-input", "--verbosity", "0")
    manage(url, "seed_demo", "--sample-expenditure")
    if args.name == "large":
        start = time.perf_counter()
        manage(url, "generate_portfolio", "--projects", str(args.projects), "--partners",
               str(args.partners), "--expenditure", str(args.expenditure))  # fmt: skip
        seconds = time.perf_counter() - start
        # Fresh statistics for the planner, as autovacuum would make them soon after.
        subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
        common.write_json(
            "generate-large",
            {
                "projects": args.projects,
                "partners": args.partners,
                "expenditure": args.expenditure,
                "seconds": seconds,
                "loadavg_after": common.loadavg(),
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            },
        )
        print(f"generate_portfolio: {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
