"""Shared fixtures: the demo network and the people who use the portal."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from projects.demo import load_demo_network
from projects.models import Project


@pytest.fixture(autouse=True)
def _fresh_process_state():
    """Each test starts as a fresh process would: in the default language (a request in an
    earlier test may have left English active) and with Django's content-type cache empty,
    so that query counts do not depend on which tests ran before."""
    translation.activate(settings.LANGUAGE_CODE)
    ContentType.objects.clear_cache()


@pytest.fixture
def demo(db) -> Project:
    """The demo network of ../shared/DOMAIN.md, as `manage.py seed_demo` loads it."""
    return load_demo_network()


@pytest.fixture
def council_member(db):
    """Alice, a member of the council staff: reads pages and reports."""
    return get_user_model().objects.create_user("alice", password="pw-alice-1234")


@pytest.fixture
def council_client(client, council_member):
    client.force_login(council_member)
    return client
