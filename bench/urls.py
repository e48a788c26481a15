"""The portal's URLs plus the floor page, for the benchmarks only (bench/settings.py).

The floor is what any page costs before its own work: the same middleware, the same access
check (`portal_page`), the same base template (header, language switch, admin links), and
one trivial query. Each page's time is read against it (bench/pages.py).
"""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_safe

from projects.access import portal_page
from projects.models import Project
from urbact_portal.urls import urlpatterns as portal_urlpatterns

FLOOR_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<p>{{ first }}</p>{% endblock %}'
)


@require_safe
@portal_page
def floor(request):
    first = Project.objects.order_by("pk").values_list("pk", flat=True).first()
    return HttpResponse(FLOOR_TEMPLATE.render({"first": first}, request))


urlpatterns = [
    *portal_urlpatterns,
    *i18n_patterns(path("bench/floor/", floor, name="bench_floor"), prefix_default_language=False),
]
