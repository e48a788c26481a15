"""The one lookup every project view starts with."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from projects.models import Project


def get_project(slug: str) -> Project:
    """The project for a URL, with what every page shows of it, or a 404."""
    return get_object_or_404(Project.objects.select_related("programme__fund"), slug=slug)
