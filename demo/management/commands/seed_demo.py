from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from demo.expenditure import load_reporting_periods, load_sample_expenditure
from demo.network import load_demo_network


class Command(BaseCommand):
    help = "Load the demo network (URBACT III 'Digital Innovation 4 Cities'); safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--sample-expenditure",
            action="store_true",
            help="Also add a few expenditure lines marked as samples (not in the sources).",
        )

    def handle(self, *args, sample_expenditure: bool = False, **options) -> None:
        try:
            with transaction.atomic():
                project = load_demo_network()
                load_reporting_periods(project)
                if sample_expenditure:
                    load_sample_expenditure(project, submitted_by=None)
        except (ValidationError, DatabaseError) as exc:
            # One readable line, non-zero exit; the transaction has rolled everything back.
            message = "; ".join(getattr(exc, "messages", None) or [str(exc).splitlines()[0]])
            raise CommandError(f"seed_demo failed, nothing was changed: {message}") from exc
        self.stdout.write(f"Demo network '{project.acronym}' is loaded, with reporting periods.")
        if sample_expenditure:
            self.stdout.write("Sample expenditure (marked SAMPLE / PARAUGS) is loaded.")
