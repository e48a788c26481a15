import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from demo.portfolio import PortfolioExists, Size, generate, make_manager
from demo.portfolio_check import portfolio_problems


class Command(BaseCommand):
    help = (
        "Generate a synthetic portfolio (projects named 'Synthetic project NNNNN', in which "
        "the portal's own organisation takes part) to measure the portal at scale; the same "
        "--seed gives the same portfolio."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--projects", type=int, default=100)
        parser.add_argument("--partners", type=int, default=10, help="per project, at least 1")
        parser.add_argument("--expenditure", type=int, default=0, help="lines in all")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--append",
            action="store_true",
            help="add to the synthetic projects already stored (without it: refuse)",
        )
        parser.add_argument(
            "--manager",
            metavar="USERNAME",
            help="make USERNAME a project manager coordinating the own organisation",
        )
        parser.add_argument(
            "--check",
            type=int,
            nargs="?",
            const=10,
            metavar="SAMPLE",
            help="check the portfolio with the portal's rules (a sample of SAMPLE projects, 10)",
        )

    def handle(self, *args, **options) -> None:
        if not settings.SYNTHETIC_DATA_ALLOWED:
            raise CommandError(
                "generate_portfolio writes made-up projects: it runs only with DEBUG=1."
            )
        size = Size(
            projects=options["projects"],
            partners=options["partners"],
            lines=options["expenditure"],
            seed=options["seed"],
        )
        if size.projects < 1 or size.partners < 1 or size.lines < 0:
            raise CommandError(
                "--projects and --partners must be at least 1, --expenditure at least 0."
            )
        try:
            context = generate(size, append=options["append"], report=self.stdout.write)
            if options["manager"]:
                count = make_manager(options["manager"])
                self.stdout.write(
                    f"{options['manager']}: project manager, coordinator of the own "
                    f"organisation, which takes part in {count} projects."
                )
        except PortfolioExists as exc:
            raise CommandError(
                f"The database already holds {exc.args[0]} synthetic projects: add --append "
                "to add more, or use an empty database. Nothing was changed."
            ) from exc
        except (ValidationError, DatabaseError) as exc:
            message = "; ".join(getattr(exc, "messages", None) or [str(exc).splitlines()[0]])
            raise CommandError(
                f"generate_portfolio failed, nothing was changed: {message}"
            ) from exc
        counts = ", ".join(f"{label} {n}" for label, n in sorted(context.writer.counts.items()))
        self.stdout.write(f"Rows written: {counts}")
        if options["check"] is not None:
            self._check(options["check"])

    def _check(self, sample: int) -> None:
        started = time.monotonic()
        problems = portfolio_problems(sample)
        took = time.monotonic() - started
        for problem in problems[:20]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The check found {len(problems)} problems ({took:.1f} s).")
        self.stdout.write(f"check of {sample} sampled projects: every rule holds ({took:.1f} s)")
