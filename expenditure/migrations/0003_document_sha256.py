"""Each supporting document keeps the SHA-256 of its file (the partner's report prints it).

Documents uploaded before are fingerprinted here, from the storage, once; their trail rows
too, each from the file it named, so the trail shows no change where there was none. A file
not in the storage is marked "missing" (expenditure/uploads.py FILE_MISSING) rather than
stopping the migration: the report then says so.
"""

import hashlib

from django.core.exceptions import SuspiciousFileOperation
from django.db import migrations, models

FILE_MISSING = "missing"  # expenditure/uploads.py FILE_MISSING, frozen here


def _sha256(storage, name: str, known: dict) -> str:
    if name not in known:
        digest = hashlib.sha256()
        try:
            with storage.open(name, "rb") as handle:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
            known[name] = digest.hexdigest()
        # Any file that cannot be read (gone, not a file, a name the storage refuses as
        # unsafe, a remote store's error) is marked, never a reason to stop `migrate`.
        except (OSError, ValueError, SuspiciousFileOperation):
            known[name] = FILE_MISSING
    return known[name]


def fingerprint_documents(apps, schema_editor):
    document = apps.get_model("expenditure", "SupportingDocument")
    storage = document._meta.get_field("file").storage
    known: dict[str, str] = {}
    for model in (document, apps.get_model("expenditure", "HistoricalSupportingDocument")):
        # Plain updates: a migration's models leave no trail rows (nothing a person changed).
        # A list, not an iterator: the loop updates the table it reads.
        for pk, name in list(model.objects.filter(sha256="").values_list("pk", "file")):
            sha256 = _sha256(storage, name, known) if name else FILE_MISSING
            model.objects.filter(pk=pk).update(sha256=sha256)


class Migration(migrations.Migration):
    dependencies = [
        ("expenditure", "0002_claims_and_state_cofinancing"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsupportingdocument",
            name="sha256",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="SHA-256 of the file"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="supportingdocument",
            name="sha256",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="SHA-256 of the file"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fingerprint_documents, migrations.RunPython.noop),
    ]
