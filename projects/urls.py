app_name = "projects"

urlpatterns: list = [
    # Filled by the pages issue: index, overview, partners, budget, budget.csv, timeline.
]
