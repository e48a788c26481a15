"""`python manage.py verify_report FILE.pdf`: did the portal issue this very file?

Exit status 0 only for a byte-identical issued file; 1 otherwise (other bytes, unknown, or a
file that cannot be read), with one line saying which."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import verification


class Command(BaseCommand):
    help = "Check a funding report's PDF against the register of issued reports."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF file to check")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            if path.stat().st_size > verification.MAX_UPLOAD_BYTES:
                raise CommandError(f"{path}: larger than any report, not checked.")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
        verdict = verification.verify_pdf(data)
        if verdict.issued:
            first = verdict.entries[0]
            who = first.issued_to.get_username() if first.issued_to else "a command"
            self.stdout.write(
                f"{path}: issued (byte-identical) on {first.issued_at:%Y-%m-%d %H:%M %Z} to "
                f"{who}: {first}, fingerprint {verdict.fingerprint}"
            )
            return
        if verdict.outcome == verification.SAME_FIGURES:
            raise CommandError(
                f"{path}: NOT issued as this file; reports with the same figures "
                f"(fingerprint {verdict.fingerprint}) were issued {len(verdict.entries)} time(s)."
            )
        reason = {"not-a-pdf": " (not a PDF)", "no-figures": " (no report figures in it)"}
        raise CommandError(
            f"{path}: NOT issued: unknown to the register{reason.get(verdict.problem, '')}."
        )
