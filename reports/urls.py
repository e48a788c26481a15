from django.urls import path

from reports import run_views, views

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
    # Background report runs (reports/runs.py).
    path(
        "projects/<slug:slug>/reports/runs/", run_views.start_project_run, name="start_project_run"
    ),
    path("reports/runs/", run_views.run_list, name="runs"),
    path("reports/runs/<int:pk>/", run_views.run_page, name="run"),
    path("reports/runs/<int:pk>/reports.zip", run_views.run_zip, name="run_zip"),
]
