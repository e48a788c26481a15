from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit.access import access_changes
from audit.forms import HistoryFilterForm
from audit.trail import project_changes_page
from projects.access import get_project

CHANGES_PER_PAGE = 50


@require_safe
@login_required
@permission_required("projects.view_history", raise_exception=True)
def project_history(request, slug: str):
    """The project's audit trail, newest first, for auditors and project managers."""
    project = get_project(slug)
    form = HistoryFilterForm(request.GET or None)
    number = request.GET.get("page")
    if form.is_bound and not form.is_valid():
        page, status = Paginator([], CHANGES_PER_PAGE).get_page(number), 400
    else:
        filters = form.filters() if form.is_bound else {}
        page = project_changes_page(project, number=number, per_page=CHANGES_PER_PAGE, **filters)
        status = 200
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "project": project,
        "tab": "history",
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "audit/history.html", context, status=status)


@require_safe
@login_required
@permission_required("audit.view_access_trail", raise_exception=True)
def access_history(request):
    """Who changed whose roles, admin access and coordinator assignments: for auditors."""
    page = Paginator(access_changes(), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/access.html", {"page": page})
