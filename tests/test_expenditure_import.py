"""The spreadsheet import of expenditure lines in the admin: preview, confirm, all or nothing,
no duplicates, the coordinator's scope (crafted confirm POSTs too), refused files."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from djmoney.money import Money

from audit.trail import project_changes
from expenditure import import_admin, imports, services
from expenditure.models import ExpenditureLine, Status
from partners.models import Participation
from projects.roles import CONTROLLERS, COUNCIL_STAFF
from tests.conftest import make_user

SAMPLES = Path(imports.__file__).resolve().parent / "samples"
IMPORT = "expenditure_expenditureline_import"
CONFIRM = "expenditure_expenditureline_process_import"
CSV, XLSX = "0", "1"  # the format choices, in import_admin.FORMATS' order
HEADER = "period;date paid;category;description;supplier;reference;amount;currency\n"


def admin_url(name: str) -> str:
    """The admin's page in Latvian, the default language (the messages tested are Latvian)."""
    return reverse(f"admin:{name}")


def partner(slug: str) -> Participation:
    return Participation.objects.get(organisation__slug=slug, project__slug="di4c")


def stored() -> list[tuple]:
    return list(ExpenditureLine.objects.order_by("pk").values_list())


def preview(client, content: bytes, name: str, participation, file_format: str = CSV):
    upload = SimpleUploadedFile(name, content)
    return client.post(
        admin_url(IMPORT),
        {"participation": participation.pk, "import_file": upload, "format": file_format},
    )


def confirm_data(response) -> dict:
    form = response.context["confirm_form"]
    return {name: form.initial.get(name, "") for name in form.fields}


def import_file(client, content: bytes, name: str, participation, file_format: str = CSV):
    response = preview(client, content, name, participation, file_format)
    assert response.status_code == 200
    assert response.context.get("confirm_form"), response.content.decode()[:3000]
    return client.post(admin_url(CONFIRM), confirm_data(response))


def rows_csv(count: int, bad: dict[int, str] | None = None) -> bytes:
    """`count` good rows; bad: {spreadsheet row number: a bad date}."""
    lines = [HEADER]
    for i in range(2, count + 2):
        day = (bad or {}).get(i, "2020-06-30")
        lines.append(f"2;{day};staff;Salary {i};;REF-{i};{i},50;EUR\n")
    return "".join(lines).encode()


@pytest.fixture
def valdis(client_for, ventspils_coordinator, periods):
    return client_for(ventspils_coordinator)


# --- Preview and confirmation -----------------------------------------------------------------


def test_the_preview_lists_the_rows_and_stores_nothing(valdis):
    content = (SAMPLES / "expenditure.csv").read_bytes()
    response = preview(valdis, content, "expenditure.csv", partner("ventspils"))

    page = response.content.decode()
    assert response.context["confirm_form"] is not None
    for text in ("Projekta koordinatora alga", "PV-20-1187", "1234.56", "1250.50", "RON"):
        assert text in page
    assert [row.import_type for row in response.context["result"].valid_rows()] == ["new"] * 4
    assert ExpenditureLine.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "file_format"), [("expenditure.csv", CSV), ("expenditure.xlsx", XLSX)]
)
def test_a_coordinator_imports_the_sample_as_drafts_of_their_partner(
    valdis, ventspils_coordinator, name, file_format
):
    content = (SAMPLES / name).read_bytes()
    response = import_file(valdis, content, name, partner("ventspils"), file_format)

    assert response.status_code == 302
    lines = list(ExpenditureLine.objects.order_by("paid_on"))
    assert [(line.paid_on, line.category, line.amount) for line in lines] == [
        (dt.date(2020, 6, 30), "staff", Money("1500.00", "EUR")),
        (dt.date(2020, 7, 14), "travel", Money("86.40", "EUR")),  # the Latvian label
        (dt.date(2020, 7, 15), "expertise", Money("1234.56", "EUR")),  # the English label
        (dt.date(2020, 9, 10), "office", Money("1250.50", "RON")),
    ]
    assert {line.participation.organisation.slug for line in lines} == {"ventspils"}
    assert {(line.status, line.period.number) for line in lines} == {(Status.DRAFT, 2)}
    assert all(isinstance(line.amount.amount, Decimal) for line in lines)
    assert all(line.rate is None and line.amount_eur is None for line in lines)


def test_the_audit_trail_records_each_imported_line_with_the_user(valdis, ventspils_coordinator):
    import_file(
        valdis, (SAMPLES / "expenditure.csv").read_bytes(), "expenditure.csv", partner("ventspils")
    )

    history = ExpenditureLine.history.all()
    assert history.count() == 4
    assert {(h.history_type, h.history_user_id) for h in history} == {
        ("+", ventspils_coordinator.pk)
    }
    assert {h.history_change_reason for h in history} == {"Importēts no expenditure.csv"}
    changes = project_changes(partner("ventspils").project, kind="expenditure.expenditureline")
    assert len(changes) == 4
    assert {c.user for c in changes} == {ventspils_coordinator}


# --- All or nothing ---------------------------------------------------------------------------


def test_one_bad_row_in_a_thousand_rejects_the_file_and_names_the_row(valdis):
    before = stored()
    content = rows_csv(1000, bad={502: "31.02.2020"})

    response = preview(valdis, content, "spending.csv", partner("ventspils"))

    assert response.context.get("confirm_form") is None
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [502]
    assert "31.02.2020" in str(result.invalid_rows[0].error_dict)
    page = response.content.decode()
    assert "<td>502 </td>" in page
    assert stored() == before


def test_a_file_that_turns_bad_before_the_confirmation_stores_nothing(valdis, periods):
    lines = rows_csv(60).decode().splitlines(keepends=True)
    lines[40] = lines[40].replace("2;2020-06-30", "6;2022-06-30", 1)  # spreadsheet row 41
    content = "".join(lines).encode()
    response = preview(valdis, content, "spending.csv", partner("ventspils"))
    data = confirm_data(response)
    periods[5].delete()  # period 6 is gone before the user confirms

    response = valdis.post(admin_url(CONFIRM), data)

    assert response.status_code == 200
    assert response.context["nothing_imported"]
    assert [row.number for row in response.context["result"].invalid_rows] == [41]
    assert ExpenditureLine.objects.count() == 0
    assert ExpenditureLine.history.count() == 0


# --- No duplicates ----------------------------------------------------------------------------


def test_importing_the_same_file_again_adds_nothing(valdis):
    content = (SAMPLES / "expenditure.csv").read_bytes()
    import_file(valdis, content, "expenditure.csv", partner("ventspils"))
    first = stored()

    response = preview(valdis, content, "expenditure.csv", partner("ventspils"))
    assert [row.import_type for row in response.context["result"].valid_rows()] == ["skip"] * 4
    valdis.post(admin_url(CONFIRM), confirm_data(response))

    assert stored() == first
    # The XLSX of the same lines is the same lines.
    import_file(
        valdis,
        (SAMPLES / "expenditure.xlsx").read_bytes(),
        "expenditure.xlsx",
        partner("ventspils"),
        XLSX,
    )
    assert stored() == first


def test_a_reimport_updates_a_draft_and_never_changes_a_submitted_line(valdis):
    content = (SAMPLES / "expenditure.csv").read_bytes()
    import_file(valdis, content, "expenditure.csv", partner("ventspils"))
    salary = ExpenditureLine.objects.get(document_reference="ALGA-2020-06")
    services.submit([salary], None, now=dt.datetime(2020, 10, 5, tzinfo=dt.UTC))
    salary.refresh_from_db()
    changed = content.replace("jūnijs".encode(), b"JUNE").replace(
        b"SIA Idejas", b"SIA Citas idejas"
    )

    import_file(valdis, changed, "expenditure.csv", partner("ventspils"))

    assert ExpenditureLine.objects.count() == 4
    after = ExpenditureLine.objects.get(pk=salary.pk)
    assert (after.description, after.status) == (salary.description, Status.SUBMITTED)
    assert ExpenditureLine.objects.get(document_reference="INV-0042").supplier == (
        "SIA Citas idejas"
    )


def test_two_rows_of_one_line_in_a_file_are_an_error(valdis):
    content = rows_csv(3) + b"2;30.06.2020;staff;Salary again;;REF-3;3,50;\n"

    response = preview(valdis, content, "spending.csv", partner("ventspils"))

    assert [row.number for row in response.context["result"].invalid_rows] == [5]
    assert "kas 3. rinda" in str(response.context["result"].invalid_rows[0].error_dict)


# --- Latvian and English formats --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234.56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("86,4", "86.4"),
        ("1 500", "1500"),
        (1250.5, "1250.5"),  # an XLSX number cell
        (1500, "1500"),
    ],
)
def test_amounts_are_read_with_either_decimal_mark_as_decimals(text, amount):
    assert imports.parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "abc", "12,34,56.7.8", "1.2.3,4,5", "1e5"])
def test_what_is_not_an_amount_is_refused(text):
    with pytest.raises(ValueError):
        imports.parse_amount(text)


@pytest.mark.parametrize(
    "value", ["2020-06-30", "30.06.2020", dt.datetime(2020, 6, 30), dt.date(2020, 6, 30)]
)
def test_dates_are_iso_or_latvian(value):
    assert imports.parse_date(value) == dt.date(2020, 6, 30)


@pytest.mark.parametrize("value", ["06/30/2020", "30.6.20", "2020-02-30"])
def test_other_dates_are_refused(value):
    with pytest.raises(ValueError):
        imports.parse_date(value)


def test_a_bad_row_says_what_is_wrong_in_latvian(valdis):
    content = (HEADER + "9;2020-06-31;pusdienas;;;R-1;1,234;USD\n").encode()

    response = preview(valdis, content, "spending.csv", partner("ventspils"))

    errors = response.context["result"].invalid_rows[0].error_dict
    assert set(errors) == {"period", "date paid", "category"}
    assert "nav datums" in str(errors["date paid"])
    # The form's own rules come after the cells are read: the amount's decimals, the
    # currency, the empty description.
    content = (HEADER + "2;2020-06-30;staff;;;R-1;1,234;USD\n").encode()
    response = preview(valdis, content, "spending.csv", partner("ventspils"))
    errors = response.context["result"].invalid_rows[0].error_dict
    assert set(errors) == {"description", "amount"}


# --- Who imports for whom ---------------------------------------------------------------------


def test_a_coordinator_is_offered_only_the_partners_they_coordinate(valdis):
    response = valdis.get(admin_url(IMPORT))

    choices = response.context["form"].fields["participation"].queryset
    assert [p.organisation.slug for p in choices] == ["ventspils"]


def test_another_partner_on_the_upload_form_is_a_form_error(valdis):
    content = (SAMPLES / "expenditure.csv").read_bytes()

    response = preview(valdis, content, "expenditure.csv", partner("oulu"))

    assert response.status_code == 200
    assert "participation" in response.context["form"].errors
    assert ExpenditureLine.objects.count() == 0


def test_a_crafted_confirmation_for_another_partner_stores_nothing(valdis):
    content = (SAMPLES / "expenditure.csv").read_bytes()
    response = preview(valdis, content, "expenditure.csv", partner("ventspils"))
    data = confirm_data(response) | {"participation": partner("oulu").pk}

    response = valdis.post(admin_url(CONFIRM), data)

    assert response.status_code == 200
    assert "participation" in response.context["confirm_form"].errors
    assert ExpenditureLine.objects.count() == 0


@pytest.mark.parametrize(
    "tampered",
    [
        {"format": "7"},
        {"format": "x"},
        {"import_file_name": "no-such-file"},
        {"import_file_name": "../../etc/passwd"},
        {"participation": "x"},
    ],
)
def test_a_tampered_confirmation_is_refused_without_an_error_page(valdis, tampered):
    content = (SAMPLES / "expenditure.csv").read_bytes()
    data = confirm_data(preview(valdis, content, "expenditure.csv", partner("ventspils")))

    response = valdis.post(admin_url(CONFIRM), data | tampered)

    assert response.status_code in (200, 302)
    assert ExpenditureLine.objects.count() == 0


def test_a_superuser_imports_for_any_partner(client_for, superuser, periods):
    client = client_for(superuser)
    content = (SAMPLES / "expenditure.csv").read_bytes()

    import_file(client, content, "expenditure.csv", partner("botosani"))

    assert ExpenditureLine.objects.filter(participation=partner("botosani")).count() == 4


@pytest.mark.parametrize("role", [CONTROLLERS, COUNCIL_STAFF, None])
def test_controllers_council_staff_and_managers_have_no_import(
    client_for, periods, project_manager, role
):
    user = project_manager if role is None else make_user(f"u-{role}", role, staff=True)
    if role == CONTROLLERS:
        partner("ventspils").organisation.controllers.add(user)
    client = client_for(user)

    assert client.get(admin_url(IMPORT)).status_code in (302, 403)
    content = (SAMPLES / "expenditure.csv").read_bytes()
    assert preview(client, content, "e.csv", partner("ventspils")).status_code in (302, 403)
    assert ExpenditureLine.objects.count() == 0


def test_the_list_offers_the_import_to_a_coordinator(valdis):
    page = valdis.get(admin_url("expenditure_expenditureline_changelist")).content.decode()
    assert admin_url(IMPORT) in page


# --- Files refused ----------------------------------------------------------------------------


BALTIC_CSV = (HEADER + "2;30.06.2020;staff;Alga jūnijā;;R;1,00;\n").encode("cp1257")


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "file_format", "says"),
    [
        (b"%PDF-1.7 ...", "invoice.pdf", CSV, "Augšupielādējiet .csv vai .xlsx"),
        (b"not a zip", "spending.xlsx", XLSX, "nevar nolasīt"),
        (
            (HEADER + "2;30.06.2020;staff;Alga jūnijā;;R;1,00;\n").encode("cp1257"),
            "s.csv",
            CSV,
            "UTF-8",
        ),
        (b"period;amount\n2;1,00\n", "s.csv", CSV, "date paid"),
        (HEADER.encode(), "s.csv", CSV, "nav rindu"),
        (xlsx([["period", "amount"], [2, 1]]), "s.xlsx", XLSX, "reference"),
        ((SAMPLES / "expenditure.xlsx").read_bytes(), "s.xlsx", CSV, "Augšupielādējiet"),
    ],
)
def test_a_file_that_is_not_the_import_spreadsheet_is_a_form_error(
    valdis, content, name, file_format, says
):
    response = preview(valdis, content, name, partner("ventspils"), file_format)

    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert says in " ".join(errors)
    assert ExpenditureLine.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(valdis, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 1024)
    content = rows_csv(40)
    assert len(content) > 1024

    response = preview(valdis, content, "spending.csv", partner("ventspils"))

    assert "lielāks par" in " ".join(response.context["form"].errors["import_file"])


@pytest.mark.parametrize(
    ("content", "name", "file_format"),
    [
        (rows_csv(11), "spending.csv", CSV),
        (xlsx([["period"], *[[2]] * 11]), "spending.xlsx", XLSX),
    ],
)
def test_a_file_over_the_row_limit_is_refused(valdis, monkeypatch, content, name, file_format):
    monkeypatch.setattr(imports, "MAX_ROWS", 10)

    response = preview(valdis, content, name, partner("ventspils"), file_format)

    assert "vairāk nekā 10 rindu" in " ".join(response.context["form"].errors["import_file"])


def test_the_formats_read_semicolons_and_commas_alike():
    semicolons = import_admin.SpreadsheetCSV().create_dataset(HEADER + "2;x\n")
    commas = import_admin.SpreadsheetCSV().create_dataset(HEADER.replace(";", ",") + "2,x\n")
    assert semicolons.dict == commas.dict
