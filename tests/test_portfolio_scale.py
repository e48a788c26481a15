"""The check of issue 13 that runs with every test run: on a synthetic portfolio (200 projects
of 5 partners, a few expenditure lines each) the main pages make exactly the queries they make
on the demo data, and a background report run over a generated project completes.

The demo's counts are taken first, on the demo alone; then the portfolio is generated beside it
and the same pages of a synthetic project (and the index, now 201 projects long) are counted.
A page whose count depends on the data fails here.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from demo.expenditure import load_reporting_periods, load_sample_expenditure
from demo.network import load_demo_network
from projects.roles import AUDITORS, PROJECT_MANAGERS
from reports import runs
from reports.models import ReportRun
from tests.conftest import make_user
from tests.test_report_runs import worker_in_process  # noqa: F401 (a fixture)

PORTFOLIO = ["--projects", "200", "--partners", "5", "--expenditure", "3000", "--seed", "13"]
SYNTHETIC = "synthetic-00001"

PAGES = {
    "index": "/",
    "overview": "/projects/{slug}/",
    "partners": "/projects/{slug}/partners/",
    "budget": "/projects/{slug}/budget/",
    "expenditure": "/projects/{slug}/expenditure/",
    "timeline": "/projects/{slug}/timeline/",
    "history": "/projects/{slug}/history/",
}


def queries(client: Client, url: str) -> int:
    """The queries of one request, made as a fresh process would (tests/conftest.py)."""
    translation.activate(settings.LANGUAGE_CODE)
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture(scope="class")
def counted(django_db_setup, django_db_blocker):
    """The demo's page counts, then the portfolio beside the demo and a client of a project
    manager coordinating the own organisation (who sees every project, and whose worklist
    covers all of them). Made once for the class, taken back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo = load_demo_network()
            load_reporting_periods(demo)
            load_sample_expenditure(demo, submitted_by=None)
            manager = make_user(
                "peteris", PROJECT_MANAGERS, staff=True, organisations=["ventspils"]
            )
            client = Client()
            client.force_login(manager)
            baseline = {
                name: queries(client, url.format(slug=demo.slug)) for name, url in PAGES.items()
            }
            call_command(
                "generate_portfolio", *PORTFOLIO, "--manager", "peteris", stdout=StringIO()
            )
            yield client, baseline
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
class TestPagesAtScale:
    @pytest.mark.parametrize("name", PAGES)
    def test_a_page_makes_as_many_queries_as_on_the_demo(self, counted, name):
        client, baseline = counted
        assert queries(client, PAGES[name].format(slug=SYNTHETIC)) == baseline[name]

    def test_the_index_lists_the_whole_portfolio(self, counted):
        client, _baseline = counted
        response = client.get("/?page=9")
        assert response.context["page"].paginator.count == 201
        assert response.context["page"].number == 9


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
@pytest.mark.usefixtures("worker_in_process")
def test_a_background_report_run_over_a_generated_project_completes(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        runs.STORAGE_ALIAS: {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "runs"},
        },
    }
    call_command(
        "generate_portfolio", "--projects", "2", "--partners", "5", "--expenditure", "100",
        stdout=StringIO(),
    )  # fmt: skip
    from projects.models import Project

    project = Project.objects.get(slug=SYNTHETIC)
    auditor = make_user("aiga", AUDITORS, staff=True)
    run = runs.start_run(
        user=auditor, language="lv", help_url="/reports/fingerprint/", project=project
    )
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=StringIO()
    )
    run.refresh_from_db()
    assert (run.status, run.total, run.done) == (ReportRun.Status.DONE, 5, 5)
