from django.urls import path

from expenditure import page_views, views

app_name = "expenditure"

urlpatterns = [
    path("expenditure/to-check/", views.to_check, name="to_check"),
    path("expenditure/documents/<int:pk>/", views.document, name="document"),
    path("projects/<slug:slug>/expenditure/", page_views.expenditure, name="figures"),
    path("projects/<slug:slug>/expenditure.csv", page_views.expenditure_csv, name="figures_csv"),
]
