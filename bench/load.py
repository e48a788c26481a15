"""The portal under load (`python bench/load.py --database URL --label demo`): gunicorn as in
production (deploy/gunicorn.conf.py, DEBUG off, 2 workers) on loopback, and locust headless
(var/bench-venv: `make bench-install`) with CLIENTS simulated clients for SECONDS. Each
client has a session of its own (made beforehand), then asks for the pages of bench/pages.py
in turn (the floor, the index and a search, the project's pages, the login page, the PDF,
JSON and CSV downloads), one after the other without pause: the machine is saturated, which
gives the most requests/s it serves and the latency a request meets then (mostly waiting for
a worker).

Prints a Markdown table; writes var/bench/load-<label>-<mix>.json (and locust's CSV and
log files).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

LOCUST = common.ROOT / "var" / "bench-venv" / "bin" / "locust"
CLIENTS = 20
SECONDS = 60
WORKERS = 2
PORT = 8765


REPORTS = ("PDF report", "JSON report")  # what the "pages" mix leaves out


def plan(label: str, project_slug: str | None, clients: int, mix: str) -> Path:
    """What locust asks for, and one signed-in session per client, made beforehand: signing
    in hashes the password (PBKDF2, about a second of CPU here by design), which would
    otherwise take the first seconds of the measure."""
    from django.conf import settings
    from django.test import Client

    from bench.pages import pages, search_word

    project = common.pick_project(project_slug)
    user = common.bench_user()
    sessions = []
    for _ in range(clients):
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    data = {
        "project": project.slug,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "pages": [
            {"name": name, "url": url}
            for name, url, _ in pages(project, search_word(project))
            if mix == "all" or name not in REPORTS
        ],
    }
    path = common.write_json(f"plan-{label}-{mix}", data)
    from django.db import connections

    connections.close_all()
    return path


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting: see its log")
        try:
            with urllib.request.urlopen(base + "/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /health/ in time")


def warm_up(base: str, plan_path: Path, rounds: int = 2 * WORKERS) -> None:
    """Each page a few times before the clock starts: a worker's first request of a page
    loads its templates, translations and (the PDF) fonts, seconds on this machine."""
    plan_data = json.loads(plan_path.read_text())
    cookie = f"{plan_data['session_cookie']}={plan_data['sessions'][0]}"
    for _ in range(rounds):
        for page in plan_data["pages"]:
            request = urllib.request.Request(base + page["url"], headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()


ACCESS = re.compile(r'"GET (\S+) HTTP/1\.1" (\d{3}) \S+ (\d+)ms')


def server_medians(log_path: Path, plan_path: Path) -> dict[str, float]:
    """Each page's median time in the worker, from gunicorn's access log (its %(M)s): the
    server's part of a request's latency, the rest being the wait for a free worker. The
    warm-up's requests (the first ones of the log) are left out."""
    pages = json.loads(plan_path.read_text())["pages"]
    names = {page["url"]: page["name"] for page in pages}
    times: dict[str, list[int]] = {}
    lines = [m for m in map(ACCESS.search, log_path.read_text().splitlines()) if m]
    for match in lines[2 * WORKERS * len(pages) :]:
        if match.group(1) in names:
            times.setdefault(names[match.group(1)], []).append(int(match.group(3)))
    return {name: statistics.median(values) for name, values in times.items()}


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return list(csv.DictReader(stats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--project")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument("--think", type=float, default=0.0, help="seconds between requests")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument(
        "--mix",
        choices=["all", "pages"],
        default="all",
        help="all: every page and download in turn; pages: without the PDF and JSON reports",
    )
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit(f"{LOCUST} is missing: run `make bench-install`")
    common.setup_django(args.database)
    plan_path = plan(args.label, args.project, args.clients, args.mix)

    env = common.portal_env(args.database)
    env.update(WEB_CONCURRENCY=str(WORKERS), PORT=str(args.port))
    env.pop("BIND", None)
    base = f"http://127.0.0.1:{args.port}"
    name = f"{args.label}-{args.mix}"
    log_path = common.OUT / f"gunicorn-{name}.log"
    prefix = common.OUT / f"locust-{name}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                str(common.ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "urbact_portal.wsgi",
            ],  # fmt: skip
            cwd=common.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(base, server)
            warm_up(base, plan_path)
            load_before = common.loadavg()
            locust_env = dict(os.environ, BENCH_PLAN=str(plan_path),
                              BENCH_THINK_SECONDS=str(args.think))  # fmt: skip
            with open(common.OUT / f"locust-{name}.log", "w") as locust_log:
                subprocess.run(
                    [
                        str(LOCUST),
                        "-f",
                        str(common.ROOT / "bench" / "locustfile.py"),
                        "--headless",
                        "--host",
                        base,
                        "-u",
                        str(args.clients),
                        "-r",
                        str(args.clients),
                        "-t",
                        f"{args.seconds}s",
                        "--csv",
                        str(prefix),
                        "--only-summary",
                        "--loglevel",
                        "WARNING",
                        "--stop-timeout",
                        "30",
                    ],  # fmt: skip
                    env=locust_env,
                    stdout=locust_log,
                    stderr=subprocess.STDOUT,
                    check=False,  # locust exits 1 when a request failed: the table says so
                )
            load_after = common.loadavg()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    server_errors = sum(
        1 for line in log_path.read_text().splitlines() if re.search(r'" 5\d\d \d', line)
    )
    rows = read_stats(prefix)
    in_worker = server_medians(log_path, plan_path)
    data = {
        "label": args.label,
        "mix": args.mix,
        "clients": args.clients,
        "seconds": args.seconds,
        "think": args.think,
        "workers": WORKERS,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "server_errors_in_log": server_errors,
        "rows": [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": row["50%"],
                "p95": row["95%"],
                "p99": row["99%"],
                "max": float(row["Max Response Time"]),
                "server_p50": in_worker.get(row["Name"]),
            }
            for row in rows
        ],
    }
    common.write_json(f"load-{name}", data)
    print(f"{name}: {args.clients} clients, {args.seconds} s, think {args.think} s, "
          f"{WORKERS} gunicorn workers; load average {load_before} → {load_after}\n")  # fmt: skip
    print(markdown(data))
    return 0


def markdown(data: dict) -> str:
    lines = ["| Request | Count | Errors | Req/s | p50 (ms) | p95 (ms) | p99 (ms) | Max (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for row in data["rows"]:
        lines.append(
            f"| {row['name']} | {row['requests']} | {row['failures']} | {row['rps']:.1f} "
            f"| {row['p50']} | {row['p95']} | {row['p99']} | {row['max']:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
