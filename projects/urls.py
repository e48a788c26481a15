from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("projects/<slug:slug>/timeline/", views.timeline_page, name="timeline"),
]
