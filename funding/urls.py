app_name = "funding"

urlpatterns: list = [
    # Filled by the PDF issue: the project and partner funding reports.
]
