"""Which files a supporting document may be: the one place for the rule.

A file is accepted when its name ends in an allowed extension *and* its first bytes are what
such a file starts with (a renamed program is refused), and when it is no larger than
settings.EXPENDITURE_UPLOAD_MAX_BYTES. The content type stored and served is the one of the
extension, never what the browser claimed.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from urbact_portal.lib.formatting import format_number

MEBIBYTE = Decimal(1024 * 1024)
ZIP = b"PK\x03\x04"  # XLSX, DOCX and ODT are zip archives
# extension: (content type, what the file starts with)
ALLOWED: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
}
ALLOWED_NAMES = "PDF, PNG, JPEG, XLSX, DOCX, ODT"
# What a document's `sha256` holds when its file could not be read to take the fingerprint
# (only documents uploaded before fingerprints were kept: the migration that added them).
FILE_MISSING = "missing"


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def content_type(name: str) -> str:
    kind = ALLOWED.get(extension(name))
    return kind[0] if kind else "application/octet-stream"


def _starts_with(file, magic: bytes) -> bool:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(len(magic))
    file.seek(position)
    return head == magic


def sha256_of(file) -> str:
    """The SHA-256 of the file's bytes (what `sha256sum` prints), read in chunks from the
    start; the file is left at its start for whoever reads it next."""
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def validate_document(file) -> None:
    """Refuse a file of a type not allowed, one whose content is not of its type, or one too
    large, each with a sentence that says what to do."""
    limit = settings.EXPENDITURE_UPLOAD_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB may be uploaded."),
            code="too_large",
            params={"limit": format_number(Decimal(limit) / MEBIBYTE, places=0)},
        )
    kind = ALLOWED.get(extension(file.name))
    if kind is None:
        raise ValidationError(
            _("This type of file is not accepted. Upload one of: %(types)s."),
            code="type",
            params={"types": ALLOWED_NAMES},
        )
    if not _starts_with(file, kind[1]):
        raise ValidationError(
            _(
                "The file's content is not what its name says (%(extension)s). Upload the file "
                "itself, not a renamed one."
            ),
            code="content",
            params={"extension": extension(file.name)},
        )
