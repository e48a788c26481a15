"""Who may see the portal's pages, and the one lookup every project view starts with."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from projects.models import Project
from projects.roles import VIEW_PORTAL


def portal_page(view: Callable) -> Callable:
    """Read-only portal pages: for users whose role lets them read the portal (council
    staff, coordinators, auditors, project managers), unless PORTAL_PUBLIC_PAGES opens
    them to everyone. Signed out: to the login page; signed in without a role: 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PORTAL_PUBLIC_PAGES:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(VIEW_PORTAL):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_project(slug: str) -> Project:
    """The project for a URL, with what every page shows of it, or a 404."""
    return get_object_or_404(Project.objects.select_related("programme__fund"), slug=slug)
