"""/health/: what a load balancer polls. One trivial query; 200 "ok", or 503 when the
database cannot be reached; no login, no session, no redirect, no noise in the logs."""

import datetime as dt
import logging
import os
import runpy
from pathlib import Path

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

URL = "/health/"
GUNICORN_CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def test_it_answers_ok_with_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Vary" not in response


def test_it_needs_no_login_and_ignores_a_session_cookie(client, django_assert_num_queries):
    client.cookies["sessionid"] = "not-a-session"
    with django_assert_num_queries(1):
        assert client.get(URL).status_code == 200


def test_a_balancer_checking_by_address_over_http_gets_an_answer(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(URL, HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


def test_an_unreachable_database_is_a_503_logged_once(client, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    with caplog.at_level(logging.INFO):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "connection refused" in caplog.records[0].getMessage()


def test_other_methods_and_paths_are_not_the_health_check(client):
    assert client.post(URL).status_code == 404
    assert client.get("/en/health/").status_code != 200


def test_the_gunicorn_configuration_runs_a_worker_per_core(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setenv("BIND", "127.0.0.1:8999")
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["workers"] == os.cpu_count()
    assert conf["bind"] == "127.0.0.1:8999"
    assert conf["timeout"] >= 30


def test_the_access_log_leaves_out_the_health_checks(monkeypatch):
    from gunicorn.config import Config

    conf = runpy.run_path(str(GUNICORN_CONF))
    logger = conf["PortalLogger"](Config())
    logged = []
    monkeypatch.setattr(logger.access_log, "info", lambda *args: logged.append(args))
    monkeypatch.setattr(type(logger), "access_log_enabled", True, raising=False)

    class Response:
        status = "200 OK"
        sent = 3
        headers = []

    def environ(path):
        return {
            "PATH_INFO": path,
            "REQUEST_METHOD": "GET",
            "RAW_URI": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }

    for path in ("/health/", "/en/"):
        logger.access(Response(), [], environ(path), dt.timedelta(milliseconds=5))
    assert len(logged) == 1
