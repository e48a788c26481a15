"""The controller's start page, and the supporting documents, served after an access check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from expenditure import scoping
from expenditure.models import ExpenditureLine, SupportingDocument

VIEW_DOCUMENTS = "expenditure.view_supportingdocument"
LINES_PER_PAGE = 50


@require_safe
@login_required
def to_check(request):
    """The submitted lines waiting for this controller, oldest submission first, each
    linking to its decision page in the admin."""
    if not scoping.is_controller(request.user):
        raise PermissionDenied
    lines = scoping.decidable(ExpenditureLine.objects.waiting(), request.user).select_related(
        "participation__organisation", "participation__project", "period"
    )
    # A page at a time: whoever controls every partner may have thousands waiting.
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "expenditure/to_check.html", {"page": page, "lines": page.object_list})


@require_safe
@never_cache
@login_required
def document(request, pk: int):
    """The file, as an attachment under its original name, to whoever may see that
    partner's expenditure; a 404 to anyone else (it tells nothing about other partners)."""
    if not request.user.has_perm(VIEW_DOCUMENTS):
        raise Http404
    rows = scoping.visible(
        SupportingDocument.objects.all(), request.user, "line__participation__organisation"
    )
    found = rows.filter(pk=pk).first()
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
