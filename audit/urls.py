from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("projects/<slug:slug>/history/", views.project_history, name="project_history"),
    path("access/", views.access_history, name="access_history"),
]
