from django.urls import path

from pages import budget_views, views

app_name = "pages"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<slug:slug>/", views.overview, name="overview"),
    path("projects/<slug:slug>/partners/", views.partnership, name="partners"),
    path("projects/<slug:slug>/budget/", budget_views.budget, name="budget"),
]
