"""Who may see the portal's pages (the lookup every project view starts with is
projects.access.get_project)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def portal_page(view: Callable) -> Callable:
    """Read-only portal pages: for users whose role lets them read the portal (council
    staff, coordinators, auditors, project managers), unless PORTAL_PUBLIC_PAGES opens
    them to everyone. Signed out: to the login page; signed in without a role: 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PORTAL_PUBLIC_PAGES:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm("projects.view_portal"):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
