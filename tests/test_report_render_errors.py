"""A report that cannot be rendered (a static file it needs is missing): WeasyPrint stops
with a BaseException, which must not escape Django's error handling. The download answers
the portal's 500 page and logs the error once with its traceback; the command exits non-zero
with one readable line; the register of issued reports records nothing."""

import logging

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.test import Client

from reports import pdf
from reports.models import IssuedReport

pytestmark = pytest.mark.django_db

# What the report needs from static/: its stylesheet, what that imports, a font file.
NEEDED = ["reports/report.css", "fonts/fonts.css", "fonts/DejaVuSans.ttf"]
URLS = [
    "/en/projects/di4c/reports/funding.pdf",
    "/en/projects/di4c/partners/ventspils/reports/funding.pdf",
]


@pytest.fixture
def missing(monkeypatch):
    """missing(path): from now on the static finders do not find `path` (no file is deleted).
    The stylesheet and the fonts, loaded once per process, are loaded afresh as in a new
    process (and again afterwards)."""
    real_find = finders.find

    def fresh_process() -> None:
        pdf._stylesheet.cache_clear()
        pdf._font_config.cache_clear()

    def make_missing(path: str) -> None:
        monkeypatch.setattr(
            finders, "find", lambda p, *a, **k: None if p == path else real_find(p, *a, **k)
        )
        fresh_process()

    yield make_missing
    fresh_process()


@pytest.fixture
def auditor_browser(auditor):
    """A browser: it gets the 500 page instead of the test client re-raising the error."""
    client = Client(raise_request_exception=False)
    client.force_login(auditor)
    return client


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("path", NEEDED)
def test_a_download_without_a_static_file_is_the_500_page_logged_once(
    auditor_browser, demo, missing, caplog, url, path
):
    missing(path)
    with caplog.at_level(logging.ERROR):
        response = auditor_browser.get(url)
    assert response.status_code == 500
    assert response.templates[-1].name == "500.html"  # after the report's own templates
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong" in response.content.decode()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert f"No such static file: {path!r}" in caplog.text
    assert not IssuedReport.objects.exists()


def test_after_the_file_is_back_the_report_is_made_again(auditor_browser, demo, missing):
    missing("fonts/DejaVuSans.ttf")
    assert auditor_browser.get(URLS[0]).status_code == 500
    missing("no/such/file")  # everything found again
    response = auditor_browser.get(URLS[0])
    assert response.status_code == 200
    assert IssuedReport.objects.count() == 1


@pytest.mark.parametrize("path", NEEDED)
def test_the_command_fails_with_one_readable_line(demo, missing, tmp_path, path):
    missing(path)
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError) as error:
        call_command("funding_report", "di4c", "--output", str(target))
    assert str(error.value) == (f"The report could not be rendered: No such static file: {path!r}.")
    assert not target.exists()
    assert not IssuedReport.objects.exists()


def test_the_command_exits_non_zero_from_the_shell(demo, missing, tmp_path, capsys):
    missing("reports/report.css")
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(
            ["manage.py", "funding_report", "di4c", "--output", str(tmp_path / "x.pdf")]
        )
    assert exit_.value.code == 1
    assert capsys.readouterr().err == (
        "CommandError: The report could not be rendered: "
        "No such static file: 'reports/report.css'.\n"
    )
