from django.core.management.base import BaseCommand, CommandError

from demo.portfolio import PortfolioExists, Size, generate


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Generate a synthetic portfolio (projects named 'Synthetic project NNNNN') to measure "
        "the portal at scale; deterministic for a --seed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--projects", type=positive, default=100)
        parser.add_argument("--partners", type=positive, default=10, help="per project")
        parser.add_argument(
            "--expenditure", type=int, default=0, help="expenditure lines in all (default: 0)"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--append",
            action="store_true",
            help="add to the synthetic projects already stored (else refuse to run)",
        )

    def handle(self, *args, projects, partners, expenditure, seed, append, **options) -> None:
        if expenditure < 0:
            raise CommandError("--expenditure cannot be negative.")
        size = Size(projects=projects, partners=partners, lines=expenditure, seed=seed)
        try:
            context = generate(size, append=append, report=self.stdout.write)
        except PortfolioExists as exc:
            raise CommandError(
                f"The database already holds {exc.args[0]} synthetic projects: "
                "add --append to add more, or use an empty database."
            ) from exc
        counts = ", ".join(f"{label} {n}" for label, n in sorted(context.writer.counts.items()))
        self.stdout.write(f"Rows written: {counts}")
        slowest = context.writer.seconds.most_common(5)
        self.stdout.write(
            "Slowest tables: " + ", ".join(f"{label} {s:.1f} s" for label, s in slowest)
        )
