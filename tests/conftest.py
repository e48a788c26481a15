"""Shared fixtures: the demo network and the people who use the portal."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from projects.demo import load_demo_network
from projects.models import Project


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
