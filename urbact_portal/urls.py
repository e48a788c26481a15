from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from urbact_portal.views import LoginView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico on every page, the admin's included. (Resolved per
    # request: in production the static name is hashed, known only after collectstatic.)
    path("favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)),
]
# Latvian pages at the root, English ones under /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Each app's pages; their paths do not overlap, so the order is only the layers'.
    path("", include("reports.urls")),
    path("", include("audit.urls")),
    path("", include("pages.urls")),
    path("", include("expenditure.urls")),
    path("", include("funding.urls")),
    path("", include("projects.urls")),
    prefix_default_language=False,
)
