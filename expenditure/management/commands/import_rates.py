from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from expenditure.importing import RateFileError, load_rates


class Command(BaseCommand):
    help = (
        "Load the Commission's monthly accounting rates (InforEuro) from a CSV file with the "
        "columns month (YYYY-MM), isoA3Code and value; a bad row changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot be read as UTF-8 text ({error})") from error
        try:
            with translation.override("en"):  # the command's one line is in English
                loaded = load_rates(text)
        except RateFileError as error:
            raise CommandError(f"{file}: nothing was changed, {error}") from error
        self.stdout.write(
            f"{file}: {loaded.created} rates added, {loaded.changed} changed, "
            f"{loaded.unchanged} already as in the file."
        )
