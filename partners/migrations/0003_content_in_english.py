"""What was entered before content had two languages was entered in English: copy it into the
English columns, the audit trail's too (see projects/migrations/0003). A Latvian
organisation's name in its own language (local_name) is its Latvian name."""

from django.db import migrations
from django.db.models import F

FIELDS = {
    "city": ("name",),
    "organisation": ("name",),
    "initiative": ("title", "description"),
}


def to_english(apps, schema_editor):
    for model, fields in FIELDS.items():
        for name in (model, f"historical{model}"):
            apps.get_model("partners", name).objects.update(
                **{f"{field}_en": F(field) for field in fields}
            )
    Organisation = apps.get_model("partners", "Organisation")
    Organisation.objects.filter(city__country="LV").exclude(local_name="").update(
        name_lv=F("local_name")
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_content_in_two_languages")]

    operations = [migrations.RunPython(to_english, migrations.RunPython.noop)]
