"""`manage.py import_rates FILE`: InforEuro's monthly rates, all or nothing, the bad row named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.expenditure import SAMPLE_RATES
from expenditure.models import ExchangeRate

HEADER = "month,country,currency,isoA3Code,isoA2Code,value\n"


def rows(n: int) -> list[str]:
    """n good rows: RON for n consecutive months from January 1990."""
    out = []
    for i in range(n):
        year, month = 1990 + i // 12, i % 12 + 1
        out.append(f"{year}-{month:02d},Romania,Romanian leu,RON,RO,4.{i:04d}\n")
    return out


def test_the_shipped_sample_loads_ron_and_others_for_2019_to_2023(db, capsys):
    call_command("import_rates", str(SAMPLE_RATES))
    assert "240 rates added" in capsys.readouterr().out
    assert set(ExchangeRate.objects.values_list("currency", flat=True)) == {
        "RON", "HUF", "PLN", "SEK"
    }  # fmt: skip
    months = ExchangeRate.objects.filter(currency="RON").values_list("month", flat=True)
    assert (min(months), max(months)) == (dt.date(2019, 1, 1), dt.date(2023, 12, 1))
    # A second run changes nothing.
    call_command("import_rates", str(SAMPLE_RATES))
    assert "0 rates added, 0 changed, 240 already as in the file" in capsys.readouterr().out


def refused_import(tmp_path, good: list[str], bad: str, at: int) -> str:
    """Import `good` with `bad` inserted at index `at`; the error, after checking nothing
    was stored beyond the one rate that was there before."""
    ExchangeRate.objects.create(currency="HUF", month=dt.date(2020, 1, 1), rate=Decimal("330"))
    path = tmp_path / "rates.csv"
    path.write_text(HEADER + "".join(good[:at]) + bad + "".join(good[at:]), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_rates", str(path))
    assert list(ExchangeRate.objects.values_list("currency", "rate")) == [
        ("HUF", Decimal("330.000000"))
    ]
    message = str(refused.value)
    assert "nothing was changed" in message and "\n" not in message  # one line
    return message


def test_a_file_of_1000_rows_with_one_bad_row_changes_nothing_and_names_the_row(db, tmp_path):
    message = refused_import(tmp_path, rows(999), "2020-13,Romania,Romanian leu,RON,RO,4.8\n", 900)
    assert "row 902: month '2020-13' is not YYYY-MM" in message


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ("2020-05,Romania,Romanian leu,RON,RO,4,8\n", "row 4: not as many columns as the header"),
        ("2020-05,Romania,Romanian leu,RON,RO,abc\n", "row 4: value 'abc' is not a number"),
        ("2020-05,Romania,Romanian leu,RON,RO,-1\n", "row 4: RON 2020-05"),
        ("2020-05,Romania,Romanian leu,ron1,RO,4.8\n", "row 4: RON1 2020-05"),
        ("1990-01,Romania,Romanian leu,RON,RO,4.8\n", "row 4: RON 1990-01 appears twice"),
    ],
)
def test_each_kind_of_bad_row_is_named(db, tmp_path, bad, named):
    assert named in refused_import(tmp_path, rows(4), bad, 2)


def test_a_file_without_the_needed_columns_is_refused(db, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("Country;Currency;Value\nRomania;RON;4.8\n", encoding="utf-8")
    with pytest.raises(CommandError, match="row 1: the header lacks the column"):
        call_command("import_rates", str(path))


def test_semicolons_and_a_byte_order_mark_are_read_and_the_euro_skipped(db, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "\ufeffmonth;isoA3Code;value\n2021-03;RON;4.8800\n2021-03;EUR;1\n", encoding="utf-8"
    )
    call_command("import_rates", str(path))
    assert list(ExchangeRate.objects.values_list("currency", "month", "rate")) == [
        ("RON", dt.date(2021, 3, 1), Decimal("4.880000"))
    ]


def test_a_file_that_cannot_be_read_is_one_line(db, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_rates", str(tmp_path / "missing.csv"))
