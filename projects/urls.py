from django.urls import path

from partners.views import partnership
from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<slug:slug>/", views.overview, name="overview"),
    path("projects/<slug:slug>/partners/", partnership, name="partners"),
    path("projects/<slug:slug>/budget/", views.budget, name="budget"),
    path("projects/<slug:slug>/budget.csv", views.budget_csv, name="budget_csv"),
    path("projects/<slug:slug>/timeline/", views.timeline_page, name="timeline"),
]
