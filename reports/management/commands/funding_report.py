"""`python manage.py funding_report di4c [--partner ventspils] [--lang en] [--budget-version 1]
--output FILE.pdf`"""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from funding.selectors import budget_versions, chosen_version
from projects.models import Project
from reports.data import LANGUAGES
from reports.pdf import ReportRenderingError
from reports.services import issue_report


class Command(BaseCommand):
    help = "Write a project's (or one partner's) funding report as a PDF file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("project", help="the project's URL name, e.g. di4c")
        parser.add_argument("--partner", help="a partner organisation's URL name, e.g. ventspils")
        parser.add_argument("--lang", choices=LANGUAGES, default="lv", help="default: lv")
        parser.add_argument(
            "--budget-version",
            dest="budget_version",
            help="the number of the budget version to report on (default: the current one)",
        )
        parser.add_argument("--output", required=True, type=Path, help="the PDF file to write")

    def handle(self, *args, project: str, partner: str | None, lang: str, output: Path, **opts):
        found = Project.objects.select_related("programme__fund").filter(slug=project).first()
        if found is None:
            raise CommandError(f"No project with the URL name {project!r}.")
        asked = opts.get("budget_version")
        try:
            version = chosen_version(budget_versions(found), asked)
        except Http404 as exc:
            raise CommandError(f"{project!r} has no budget version {asked!r}.") from exc
        try:
            issued = issue_report(
                project=found,
                partner_slug=partner,
                version=version,
                language=lang,
                generated_by=f"manage.py funding_report ({getpass.getuser()})",
            )
        except Http404 as exc:
            raise CommandError(f"{partner!r} does not take part in {project!r}.") from exc
        except ReportRenderingError as exc:  # nothing registered, no file written
            raise CommandError(str(exc)) from exc
        try:
            output.write_bytes(issued.pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        self.stdout.write(
            f"{output}: {issued.filename}, SHA-256 of the figures {issued.fingerprint}"
        )
