from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from demo.network import load_demo_network


class Command(BaseCommand):
    help = "Load the demo network (URBACT III 'Digital Innovation 4 Cities'); safe to run again."

    def handle(self, *args, **options) -> None:
        try:
            project = load_demo_network()
        except (ValidationError, DatabaseError) as exc:
            # One readable line, non-zero exit; the transaction has rolled everything back.
            message = "; ".join(getattr(exc, "messages", None) or [str(exc).splitlines()[0]])
            raise CommandError(f"seed_demo failed, nothing was changed: {message}") from exc
        self.stdout.write(f"Demo network '{project.acronym}' is loaded.")
