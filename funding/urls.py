from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("projects/<slug:slug>/budget.csv", views.budget_csv, name="budget_csv"),
    path("projects/<slug:slug>/budget/compare/", views.budget_compare, name="budget_compare"),
]
