from django.urls import path

from expenditure import views

app_name = "expenditure"

urlpatterns = [
    path("expenditure/to-check/", views.to_check, name="to_check"),
    path("expenditure/documents/<int:pk>/", views.document, name="document"),
]
