"""Settings come from the environment and fail with one readable line when wrong."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def start_up(**env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "urbact_portal.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_secret_key_production_refuses_to_start_with_one_line():
    result = start_up(DEBUG="0", ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "urbact_portal: configuration error: SECRET_KEY must be set when DEBUG is off"
    ]


def test_a_bad_debug_value_is_named():
    result = start_up(DEBUG="perhaps")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "DEBUG is not valid" in result.stderr


def test_development_starts_without_configuration():
    result = start_up(DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_the_portal_speaks_latvian_first_and_english_under_en(client_for, council_member):
    client = client_for(council_member)
    # A browser asking for English still gets Latvian at the plain paths ...
    latvian = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert latvian.status_code == 200
    assert '<html lang="lv">' in latvian.content.decode()
    # ... and English under /en/; a language the portal does not have is not served.
    assert '<html lang="en">' in client.get("/en/").content.decode()
    assert client.get("/de/").status_code == 404


def test_dates_are_riga_dates():
    """A change made at 22:30 UTC on 2 April 2020 happened on 3 April in Ventspils (the
    council's decision day): dates shown and stored as days are Riga's (UTC+3 in summer)."""
    import datetime as dt

    from django.utils import timezone

    moment = dt.datetime(2020, 4, 2, 22, 30, tzinfo=dt.UTC)
    assert timezone.localdate(moment) == dt.date(2020, 4, 3)
    assert timezone.localtime(moment).strftime("%H:%M") == "01:30"


def test_production_settings_pass_djangos_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            },
            "DJANGO_SETTINGS_MODULE": "urbact_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-3f9c1d77b2e4a6c8e0",
            "ALLOWED_HOSTS": "portal.example",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
