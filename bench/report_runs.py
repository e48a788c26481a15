"""Benchmark of background report runs: partner reports per minute with 1 and 2 workers
(`python bench/report_runs.py` from the root; not a test).

The workers are real `manage.py db_worker` processes on the database backend, as in
production. They are started first and given time to load (Django, WeasyPrint), then runs of
the demo project (8 partners each) are started from here, and the clock runs from the first
run started to the last report made; so the figure is the steady rate, without start-up.

Database: DATABASE_URL when set (PostgreSQL is what production and the issue's targets use:
create an empty database for it, e.g. `createdb bench_runs`; it is migrated and filled here),
else an SQLite file in a temporary directory. The PDFs go to a temporary directory too (a
settings module written there), never to var/. Prints a Markdown table.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS_PER_MEASURE = 6  # × 8 partners = 48 reports per measure
WORKER_COUNTS = (1, 2)
WORKER_BOOT_SECONDS = 8
TIMEOUT_SECONDS = 600

SETTINGS = """from urbact_portal.settings import *  # noqa: F403

STORAGES = {{
    **STORAGES,  # noqa: F405
    "report_runs": {{
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {{"location": {location!r}}},
    }},
}}
"""


def prepare_environment(workdir: Path) -> dict[str, str]:
    """The environment of this process and of its workers: same database, same settings."""
    (workdir / "bench_runs_settings.py").write_text(
        SETTINGS.format(location=str(workdir / "report-runs"))
    )
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env["DEBUG"] = "1"  # development settings (static files as in development), no reloader
    env["DJANGO_SETTINGS_MODULE"] = "bench_runs_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(workdir), str(ROOT), env.get("PYTHONPATH", "")])
    os.environ.update(env)
    sys.path[:0] = [str(workdir), str(ROOT)]
    return env


def start_workers(count: int, env: dict[str, str]) -> list[subprocess.Popen]:
    command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload",
               "--interval", "0.05", "--verbosity", "0"]  # fmt: skip
    return [
        subprocess.Popen([*command, "--worker-id", f"bench-{i}"], env=env, cwd=ROOT)
        for i in range(count)
    ]


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)  # graceful: a worker finishes its task first
    for worker in workers:
        worker.wait(timeout=60)


def measure(count: int, env: dict[str, str], project, user) -> dict:
    from reports import runs
    from reports.models import ReportRun

    workers = start_workers(count, env)
    try:
        time.sleep(WORKER_BOOT_SECONDS)
        start = time.perf_counter()
        started = [
            runs.start_run(user=user, project=project, language="lv", help_url="http://bench/")
            for _ in range(RUNS_PER_MEASURE)
        ]
        pending = ReportRun.objects.filter(pk__in=[run.pk for run in started])
        while pending.exclude(status__in=["done", "errors"]).exists():
            if time.perf_counter() - start > TIMEOUT_SECONDS:
                raise SystemExit(f"{count} worker(s): not finished in {TIMEOUT_SECONDS} s")
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
    finally:
        stop(workers)
    made = sum(run.done for run in pending)
    failed = sum(run.failed for run in pending)
    return {"workers": count, "reports": made, "failed": failed, "seconds": elapsed}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-runs-") as tmp:
        env = prepare_environment(Path(tmp))
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection

        from demo.network import load_demo_network

        call_command("migrate", verbosity=0)
        settings.DEBUG = False  # no query log growing in memory
        project = load_demo_network()
        user, _ = get_user_model().objects.get_or_create(username="bench-runs")
        rows = [measure(count, env, project, user) for count in WORKER_COUNTS]
        database = connection.vendor
        if database == "postgresql":
            database += f" {connection.pg_version // 10000}"

    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {database}, demo project "
        f"(8 partners), {RUNS_PER_MEASURE} runs per measure, reports in Latvian\n"
    )
    print("| Workers | Reports | Failed | Seconds | Reports per minute | Speed-up |")
    print("|---:|---:|---:|---:|---:|---:|")
    base = rows[0]["reports"] / rows[0]["seconds"]
    for row in rows:
        rate = row["reports"] / row["seconds"]
        print(
            f"| {row['workers']} | {row['reports']} | {row['failed']} | {row['seconds']:.1f} "
            f"| {rate * 60:.0f} | {rate / base:.2f}× |"
        )
    return 0 if all(row["failed"] == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
