"""Free text has a size that fits its use (issue 8, item 12): a megabyte of description is a
form error, the database refuses it too, and the organisation form stays small enough that a
superuser can always save or delete what is in it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from partners.models import Initiative, Organisation
from projects.models import Project
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db

LIMITS = [(Initiative, "description", 2000), (Project, "description", 3000)]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("model", "field", "limit"), LIMITS)
def test_a_description_over_its_limit_is_refused_by_the_model_and_the_database(
    demo, model, field, limit
):
    row = model.objects.order_by("pk").first()
    setattr(row, field, "x" * (limit + 1))
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert f"at most {limit} characters" in " ".join(error.value.message_dict[field])
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: "x" * (limit + 1)})
    model.objects.filter(pk=row.pk).update(**{field: "€" * limit})  # the limit itself is fine


def organisation_form(client, org) -> tuple[str, dict]:
    with translation.override("en"):
        url = reverse("admin:partners_organisation_change", args=[org.pk])
    return url, form_fields(client.get(url).content.decode(), "organisation_form")


def test_a_megabyte_of_description_in_the_organisation_form_is_a_form_error(admin_client, demo):
    oulu = Organisation.objects.get(slug="oulu")
    url, data = organisation_form(admin_client, oulu)
    data["initiatives-0-description_en"] = "5G " * 500_000  # 1.5 MB
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode().replace("&#x27;", "'")
    assert len(Initiative.objects.get(organisation=oulu).description) < 2000


def test_a_superuser_can_delete_an_initiative_when_every_description_is_at_its_limit(
    admin_client, demo
):
    oulu = Organisation.objects.get(slug="oulu")
    # Three bytes a character, nine once form-encoded: the heaviest text the limit allows.
    Initiative.objects.bulk_create(
        Initiative(organisation=oulu, title=f"Initiative {i}", description="€" * 2000)
        for i in range(60)
    )
    url, data = organisation_form(admin_client, oulu)
    data["initiatives-0-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert Initiative.objects.filter(organisation=oulu).count() == 60
