from django.urls import path

from reports import views

app_name = "reports"

urlpatterns: list = [
    path("projects/<slug:slug>/reports/funding.pdf", views.project_report, name="project_report"),
    path(
        "projects/<slug:slug>/partners/<slug:partner>/reports/funding.pdf",
        views.partner_report,
        name="partner_report",
    ),
    path("projects/<slug:slug>/reports/funding.json", views.project_json, name="project_json"),
    path(
        "projects/<slug:slug>/partners/<slug:partner>/reports/funding.json",
        views.partner_json,
        name="partner_json",
    ),
    path("reports/verify/", views.verify, name="verify"),
    path("reports/fingerprint/", views.fingerprint_help, name="fingerprint_help"),
]
