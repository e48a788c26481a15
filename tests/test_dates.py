"""Dates as a Latvian or English reader expects them: inside a sentence in the right case,
ranges compact with the month spelled out."""

import datetime as dt

import pytest

from urbact_portal.lib.dates import date_in_sentence, format_date, format_date_range

# (month, nominative, genitive, dative, locative) as a Latvian grammar book lists them.
MONTHS = [
    (1, "janvāris", "janvāra", "janvārim", "janvārī"),
    (2, "februāris", "februāra", "februārim", "februārī"),
    (3, "marts", "marta", "martam", "martā"),
    (4, "aprīlis", "aprīļa", "aprīlim", "aprīlī"),
    (5, "maijs", "maija", "maijam", "maijā"),
    (6, "jūnijs", "jūnija", "jūnijam", "jūnijā"),
    (7, "jūlijs", "jūlija", "jūlijam", "jūlijā"),
    (8, "augusts", "augusta", "augustam", "augustā"),
    (9, "septembris", "septembra", "septembrim", "septembrī"),
    (10, "oktobris", "oktobra", "oktobrim", "oktobrī"),
    (11, "novembris", "novembra", "novembrim", "novembrī"),
    (12, "decembris", "decembra", "decembrim", "decembrī"),
]


@pytest.mark.parametrize(("month", "nominative", "genitive", "dative", "locative"), MONTHS)
def test_a_latvian_date_takes_the_case_of_its_sentence(
    month, nominative, genitive, dative, locative
):
    day = dt.date(2022, month, 7)
    assert format_date(day, "lv") == f"2022. gada 7. {nominative}"
    assert date_in_sentence(day, "nominative", "lv") == f"2022. gada 7. {nominative}"
    assert date_in_sentence(day, "genitive", "lv") == f"2022. gada 7. {genitive}"
    assert date_in_sentence(day, "dative", "lv") == f"2022. gada 7. {dative}"
    assert date_in_sentence(day, language="lv") == f"2022. gada 7. {locative}"


def test_sentences_read_as_latvian_writes_them():
    assert f"beidzās {date_in_sentence(dt.date(2022, 8, 7), language='lv')}" == (
        "beidzās 2022. gada 7. augustā"
    )
    assert f"sākas {date_in_sentence(dt.date(2019, 9, 2), language='lv')}" == (
        "sākas 2019. gada 2. septembrī"
    )


def test_an_english_date_in_a_sentence_is_the_plain_long_date():
    assert date_in_sentence(dt.date(2022, 8, 7), "locative", "en") == "7 August 2022"


@pytest.mark.parametrize(
    ("start", "end", "lv", "en"),
    [
        ((2019, 10, 16), (2019, 10, 17), "2019. gada 16.–17. oktobris", "16–17 October 2019"),
        (
            (2019, 11, 30),
            (2019, 12, 4),
            "2019. gada 30. novembris\u2009–\u20094. decembris",
            "30 November\u2009–\u20094 December 2019",
        ),
        (
            (2019, 9, 2),
            (2020, 3, 2),
            "2019. gada 2. septembris\u2009–\u20092020. gada 2. marts",
            "2 September 2019\u2009–\u20092 March 2020",
        ),
        ((2020, 4, 3), (2020, 4, 3), "2020. gada 3. aprīlis", "3 April 2020"),
    ],
)
def test_a_date_range_is_compact_with_the_month_spelled_out(start, end, lv, en):
    start, end = dt.date(*start), dt.date(*end)
    assert format_date_range(start, end, "lv") == lv
    assert format_date_range(start, end, "en") == en
    assert format_date_range(start, None, "en") == format_date(start, "en")


def test_the_timeline_shows_the_kick_off_as_a_compact_range(council_client, demo):
    from tests.test_pages_views import text, url

    assert "2019. gada 16.–17. oktobris" in text(council_client.get(url("timeline")))
    assert "16–17 October 2019" in text(council_client.get(url("timeline", language="en")))
