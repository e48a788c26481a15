"""Checking a copy of a report against the register: did the portal issue this very file,
a file with these figures, or nothing it knows? And what changed in the figures since?

A PDF is matched by the SHA-256 of its bytes (IssuedReport.pdf_sha256): only a byte-identical
file is "issued". Otherwise its attached funding.json (reports/pdf.py) gives the figures'
fingerprint, which may match reports issued with the same figures in other bytes (another
download, language or time). A file that is not a readable PDF, or carries no figures, is
simply not known: the answer is never an error page.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from django.http import Http404

from reports.data import funding_report
from reports.models import IssuedReport
from reports.pdf import ATTACHMENT_NAME

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # our reports are well under 1 MiB
FINGERPRINT = re.compile(r"(?:sha256:)?\s*([0-9a-fA-F]{64})\s*")

ISSUED = "issued"  # this very file was issued
SAME_FIGURES = "same_figures"  # reports with these figures were issued (other bytes)
UNKNOWN = "unknown"  # nothing the register knows


@dataclass(frozen=True)
class Difference:
    path: str  # where in the figures, e.g. "partner.budget.total"
    before: str  # as issued ("–": not there)
    after: str  # today ("–": no longer there)


@dataclass(frozen=True)
class Verdict:
    outcome: str
    fingerprint: str | None  # of the figures, when known
    pdf_sha256: str | None  # of the file, when a file was given
    entries: list[IssuedReport] = field(default_factory=list)  # matching register entries
    differences: list[Difference] | None = None  # stored figures → today's; None: not known
    problem: str = ""  # why a file could not be read (for the reader, one line)

    @property
    def issued(self) -> bool:
        return self.outcome == ISSUED


def _flatten(value, path: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i + 1), v) for i, v in enumerate(value))
    else:
        return {path: "–" if value is None else str(value)}
    flat: dict[str, str] = {}
    for key, item in items:
        flat |= _flatten(item, f"{path}.{key}" if path else str(key))
    return flat


def differences(stored: str, today: bytes) -> list[Difference]:
    """What differs between the figures as issued and today's, field by field."""
    before, after = _flatten(json.loads(stored)), _flatten(json.loads(today))
    return [
        Difference(path, before.get(path, "–"), after.get(path, "–"))
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path)
    ]


def _today(entry: IssuedReport) -> bytes | None:
    partner = entry.participation.organisation.slug if entry.participation else None
    try:
        return funding_report(project=entry.project, partner_slug=partner).canonical_json
    except Http404:  # the partner has left the project since
        return None


def _verdict(outcome, fingerprint, pdf_sha256, entries, problem="") -> Verdict:
    diff = None
    stored = next((e for e in entries if e.figures), None)
    if stored is not None:
        today = _today(stored)
        diff = differences(stored.figures, today) if today is not None else None
    return Verdict(outcome, fingerprint, pdf_sha256, entries, diff, problem)


def _entries(**lookup) -> list[IssuedReport]:
    return list(
        IssuedReport.objects.filter(**lookup)
        .select_related("project", "participation__organisation", "issued_to")
        .order_by("issued_at", "pk")
    )


def attached_figures(data: bytes) -> bytes | None:
    """The funding.json a PDF carries, or None (not a PDF, unreadable, no such file)."""
    from pypdf import PdfReader  # loaded only when a file is checked

    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
        found = attachments.get(ATTACHMENT_NAME)
        return bytes(found[0]) if found else None
    except Exception:  # any damage to an uploaded file means: no figures we can read
        return None


def verify_pdf(data: bytes) -> Verdict:
    pdf_sha256 = hashlib.sha256(data).hexdigest()
    issued = _entries(pdf_sha256=pdf_sha256)
    if issued:
        return _verdict(ISSUED, issued[0].fingerprint, pdf_sha256, issued)
    if not data.startswith(b"%PDF-"):
        return Verdict(UNKNOWN, None, pdf_sha256, problem="not-a-pdf")
    figures = attached_figures(data)
    if figures is None:
        return Verdict(UNKNOWN, None, pdf_sha256, problem="no-figures")
    fingerprint = hashlib.sha256(figures).hexdigest()
    same = _entries(fingerprint=fingerprint)
    return _verdict(SAME_FIGURES if same else UNKNOWN, fingerprint, pdf_sha256, same)


def parse_fingerprint(text: str) -> str | None:
    match = FINGERPRINT.fullmatch(text or "")
    return match.group(1).lower() if match else None


def verify_fingerprint(fingerprint: str) -> Verdict:
    """A pasted fingerprint names figures, not a file: at best "reports with these figures
    were issued"."""
    same = _entries(fingerprint=fingerprint)
    return _verdict(SAME_FIGURES if same else UNKNOWN, fingerprint, None, same)
