"""`manage.py funding_report`: the reports for batch use."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from reports.data import funding_report

pytestmark = pytest.mark.django_db


def test_it_writes_the_project_report(demo, tmp_path):
    out = io.StringIO()
    target = tmp_path / "report.pdf"
    call_command("funding_report", "di4c", "--lang", "en", "--output", str(target), stdout=out)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "€714,990.00" in text
    assert funding_report(project=demo).fingerprint in out.getvalue()


def test_it_writes_a_partner_report(demo, tmp_path):
    target = tmp_path / "ventspils.pdf"
    call_command("funding_report", "di4c", "--partner", "ventspils", "--output", str(target))
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "43\xa0588,00\xa0€" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "No project with the URL name 'nope'."),
        (["di4c", "--partner", "nope"], "'nope' does not take part in 'di4c'."),
    ],
)
def test_it_fails_with_one_readable_line(demo, tmp_path, args, message):
    with pytest.raises(CommandError) as error:
        call_command("funding_report", *args, "--output", str(tmp_path / "x.pdf"))
    assert str(error.value) == message
    assert not (tmp_path / "x.pdf").exists()


def test_it_exits_non_zero_from_the_shell(demo, tmp_path, capsys):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(
            ["manage.py", "funding_report", "nope", "--output", str(tmp_path / "x.pdf")]
        )
    assert exit_.value.code == 1
    assert capsys.readouterr().err == "CommandError: No project with the URL name 'nope'.\n"
