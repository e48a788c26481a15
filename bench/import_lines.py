"""Benchmark of the spreadsheet import of expenditure lines: the preview and the confirmation
of a 1,000-row CSV in the admin, as a coordinator makes them (`python bench/import_lines.py`
from the root; not a test).

Each database is measured in a process of its own: SQLite (a file in a temporary directory)
always, PostgreSQL too when DATABASE_URL names one (an empty database, e.g.
`createdb bench_import`: it is migrated and filled here, and its lines are deleted between
rounds). Each round uploads the file (preview, a dry run), confirms it (1,000 new draft lines
and their history rows), then previews and confirms it again changed (1,000 drafts updated).
Prints a Markdown table of the median times and the queries of one round.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1000
ROUNDS = 3
STEPS = ("preview", "confirm", "preview again, changed", "confirm the changes")


def spreadsheet(rows: int, description: str) -> bytes:
    lines = ["period;date paid;category;description;supplier;reference;amount;currency\n"]
    for i in range(2, rows + 2):
        lines.append(f"2;2020-06-30;staff;{description} {i};SIA Bench;REF-{i};{i},50;EUR\n")
    return "".join(lines).encode()


def measure() -> dict[str, list]:
    """In the child process: the timings of each step, and the queries of the last round."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbact_portal.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from demo.expenditure import load_reporting_periods
    from demo.network import load_demo_network
    from expenditure.models import ExpenditureLine
    from partners.models import Participation
    from projects.roles import COORDINATORS
    from tests.conftest import make_user

    setup_test_environment()  # the responses carry their context (the confirm form)
    call_command("migrate", verbosity=0)
    project = load_demo_network()
    load_reporting_periods(project)
    user = make_user("bench-coordinator", COORDINATORS, staff=True, organisations=["ventspils"])
    client = Client()
    client.force_login(user)
    partner = Participation.objects.get(organisation__slug="ventspils", project=project)
    upload_url = reverse("admin:expenditure_expenditureline_import")
    confirm_url = reverse("admin:expenditure_expenditureline_process_import")

    def preview(content: bytes):
        upload = SimpleUploadedFile("spending.csv", content)
        data = {"participation": partner.pk, "import_file": upload, "format": "0"}
        response = client.post(upload_url, data)
        form = response.context["confirm_form"]
        assert form is not None, "the preview refused the file"
        return {name: form.initial.get(name, "") for name in form.fields}

    def confirm(data):
        assert client.post(confirm_url, data).status_code == 302, "the import failed"

    def one_round() -> list:
        """The steps of a round, each a function (a step may need what the one before got)."""
        state: dict = {}
        return [
            lambda: state.update(data=preview(spreadsheet(ROWS, "Salary"))),
            lambda: confirm(state["data"]),
            lambda: state.update(data=preview(spreadsheet(ROWS, "Monthly salary"))),
            lambda: confirm(state["data"]),
        ]

    times: dict[str, list] = {step: [] for step in STEPS}
    queries: dict[str, int] = {}
    for _round in range(ROUNDS):
        ExpenditureLine.objects.all().delete()  # drafts only
        for step, run in zip(STEPS, one_round(), strict=True):
            counted = []  # not CaptureQueriesContext: its log keeps only the last 9,000

            def count(execute, *args, counted=counted):
                counted.append(1)
                return execute(*args)

            with connection.execute_wrapper(count):
                start = time.perf_counter()
                run()
                times[step].append(time.perf_counter() - start)
            queries[step] = len(counted)
        assert ExpenditureLine.objects.count() == ROWS
    return {"vendor": connection.vendor, "times": times, "queries": queries}


def run_child(database_url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, DEBUG="1")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, __file__, "--measure"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"measuring on {database_url} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        databases = [f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"]
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            databases.append(os.environ["DATABASE_URL"])
        results = [run_child(url) for url in databases]
    print(f"Import of {ROWS:,} expenditure lines (CSV), median of {ROUNDS} rounds\n")
    print("| database | step | seconds | queries |")
    print("|---|---|---:|---:|")
    for result in results:
        for step in STEPS:
            median = statistics.median(result["times"][step])
            print(f"| {result['vendor']} | {step} | {median:.2f} | {result['queries'][step]} |")


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        print(json.dumps(measure()))
    else:
        main()
