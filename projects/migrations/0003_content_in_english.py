"""What was entered before content had two languages was entered in English: copy it into the
English columns (and into the audit trail's, so the first change after this one is shown as a
change of one language, not as every name appearing). Latvian stays empty and falls back to
English until someone enters it."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "fundingsource": ("name", "short_name"),
    "programme": ("name",),
    "project": ("name", "description"),
    "phase": ("name", "network_name"),
    "milestone": ("title", "place"),
}


def to_english(apps, schema_editor):
    for model, fields in FIELDS.items():
        for name in (model, f"historical{model}"):
            apps.get_model("projects", name).objects.update(
                **{f"{field}_en": F(field) for field in fields}
            )


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_content_in_two_languages")]

    operations = [migrations.RunPython(to_english, migrations.RunPython.noop)]
