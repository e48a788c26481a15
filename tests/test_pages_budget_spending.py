"""The budget page shows what was spent beside the plan (issue 12): per partner, funding
source and cost category the expenditure page's figures, to the cent (a RON line converted,
a rejected line never counted), its over-budget flags and sample marks, the spending chart;
a superseded version is compared with itself, as its report is; the queries are fixed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from expenditure.models import Claim, ExchangeRate, ExpenditureLine, Status
from funding.services import budget_set
from projects.models import FundingSource
from tests import factories as f
from tests.test_expenditure_figures import (  # noqa: F401 (fixtures)
    costed_ventspils,
    line,
    partner,
    project_with_spending,
)
from tests.test_pages_views import QUERIES, text

FIGURE_TABLES = ["expenditure-partners", "expenditure-sources", "expenditure-categories"]
ROW_KEYS = ["data-partner", "data-source", "data-category", "data-row"]


class _TableReader(HTMLParser):
    """One table's rows: the row's key (its data-partner, data-source, … attribute) → the
    text of each cell that names its figure (data-cell), and of its heading ("name")."""

    def __init__(self, table: str):
        super().__init__(convert_charrefs=True)
        self.table, self.depth = table, 0
        self.rows: dict[str, dict[str, str]] = {}
        self._row: dict[str, str] | None = None
        self._cell: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and (self.depth or a.get("data-table") == self.table):
            self.depth += 1
        elif self.depth and tag == "tr":
            key = next((f"{k}={a[k]}" for k in ROW_KEYS if k in a), "")
            self._row = self.rows.setdefault(key, {})
        elif self.depth and tag == "td" and "data-cell" in a:
            self._cell, self._text = a["data-cell"], []
        elif self.depth and tag == "th" and a.get("scope") == "row":
            self._cell, self._text = "name", []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self._row[self._cell] = " ".join("".join(self._text).split())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._text.append(data)


def table(body: str, name: str) -> dict[str, dict[str, str]]:
    reader = _TableReader(name)
    reader.feed(body)
    return {key: cells for key, cells in reader.rows.items() if cells}  # not the head


def url(name: str, slug: str = "di4c", language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=[slug])


def euro(amount: Decimal) -> str:
    return f"€{amount:,.2f}"


@pytest.fixture
def spending(periods, superuser):
    """Ventspils in euro, Botoșani in lei (RON 4.8740 to the euro in October 2020, the month
    the lines are submitted): certified, waiting and rejected lines, and a claim."""
    ExchangeRate.objects.create(currency="RON", month=dt.date(2020, 10, 1), rate="4.8740")
    ventspils, botosani = partner("ventspils"), partner("botosani")
    line(ventspils, periods[1], "1000.01", Status.CERTIFIED, superuser)
    line(ventspils, periods[2], "200.00", Status.SUBMITTED, category="travel")
    line(ventspils, periods[2], "999.99", Status.REJECTED, superuser)
    line(botosani, periods[1], "1000.00", Status.CERTIFIED, superuser, currency="RON")
    line(botosani, periods[2], "555.55", Status.REJECTED, superuser, currency="RON")
    Claim.objects.create(
        participation=ventspils,
        period=periods[1],
        claimed_on=dt.date(2020, 11, 20),
        claimed=f.eur("850.00"),
    )


def from_lines(*statuses) -> Decimal:
    rows = ExpenditureLine.objects.filter(status__in=statuses)
    return sum((r.amount_eur.amount for r in rows), Decimal("0.00"))


def test_the_budget_page_shows_the_expenditure_pages_figures_to_the_cent(
    council_client, demo, spending
):
    budget = text(council_client.get(url("pages:budget")))
    figures = text(council_client.get(url("expenditure:figures")))
    for name in FIGURE_TABLES:
        assert table(budget, name) == table(figures, name) != {}, name

    # And they are the lines': RON 1,000.00 / 4.8740 = €205.17; rejected lines never count.
    assert ExpenditureLine.objects.get(amount_currency="RON", status=Status.CERTIFIED)
    certified = from_lines(Status.CERTIFIED)
    assert certified == Decimal("1000.01") + Decimal("205.17")
    total = table(budget, "expenditure-partners")["data-row=total"]
    assert total["certified"] == euro(certified)
    assert total["submitted"] == euro(from_lines(Status.CERTIFIED, Status.SUBMITTED))
    assert total["claimed"] == "€850.00"
    assert total["remaining"] == euro(Decimal("51280.00") - certified)
    botosani = table(budget, "expenditure-partners")["data-partner=botosani"]
    assert botosani["certified"] == botosani["submitted"] == "€205.17"
    for rejected in from_lines(Status.REJECTED), Decimal("999.99"), Decimal("113.98"):
        assert euro(rejected) not in budget
    # Each breakdown adds up to the total, to the cent.
    for name in ["expenditure-sources", "expenditure-categories"]:
        cells = [row["certified"] for row in table(budget, name).values()]
        assert sum(Decimal(c.lstrip("€").replace(",", "")) for c in cells) == certified


def test_the_budget_page_draws_the_spending_chart_and_links_to_the_expenditure_page(
    council_client, demo, spending
):
    body = text(council_client.get(url("pages:budget")))
    assert 'class="chart spending-chart"' in body
    assert f"certified to date {euro(Decimal('1205.18'))}" in body  # the chart's description
    assert f'href="{url("expenditure:figures")}" data-link="expenditure"' in body


def test_the_overview_draws_the_same_spending_chart(council_client, demo, spending):
    body = text(council_client.get(url("pages:overview")))
    assert 'class="chart spending-chart"' in body
    assert f"certified to date {euro(Decimal('1205.18'))}" in body


def test_no_chart_without_reporting_periods(council_client, demo):
    # Nothing to draw over time: the tables alone, no empty chart.
    body = text(council_client.get(url("pages:overview")))
    assert 'class="chart spending-chart"' not in body


@pytest.mark.usefixtures("costed_ventspils")
@pytest.mark.parametrize(("spent", "flagged"), [("1100.00", False), ("1100.01", True)])
def test_spending_above_a_categorys_budget_and_the_flexibility_is_flagged_on_the_budget_page(
    council_client, periods, spent, flagged
):
    line(partner("ventspils"), periods[1], spent, Status.SUBMITTED)  # staff: €1,000 + 10 %
    body = text(council_client.get(url("pages:budget")))
    assert ("over budget" in body) is flagged
    assert ('data-flag="ventspils-staff"' in body) is flagged
    assert ('data-category="staff" data-over-budget' in body) is flagged
    assert ("data-no-flags" in body) is not flagged


def test_the_budget_page_marks_sample_figures(council_client, demo, periods):
    assert "includes samples" not in text(council_client.get(url("pages:budget")))
    from demo.expenditure import load_sample_expenditure

    load_sample_expenditure(demo, submitted_by=None)
    body = text(council_client.get(url("pages:budget")))
    assert "sample expenditure made up for the demonstration" in body
    rows = table(body, "expenditure-partners")
    assert rows.keys() >= {"data-partner=ventspils", "data-partner=botosani", "data-row=total"}
    for key in ["data-partner=ventspils", "data-partner=botosani", "data-row=total"]:
        assert rows[key]["name"].endswith("includes samples"), key
    assert "includes samples" not in rows["data-partner=oulu"]["name"]
    # The chart's bars show the spending to date: from period 2 on, every one counts them,
    # and the label says it is the figure to date.
    assert "Period 1 (to date includes samples)" not in body
    for number in range(2, 7):
        assert f"Period {number} (to date includes samples)" in body
    assert "Period 2 (includes samples)" not in body
    # The expenditure page's table marks its "certified to date" cell so; a period's own
    # name is marked only when its own submitted and certified figures count a sample.
    response = council_client.get(url("expenditure:figures"))
    own = {
        r.period.number
        for r in response.context["expenditure"].periods
        if r.figures.includes_samples
    }
    assert own and own != set(range(2, 7))  # some periods from 2 on have none of their own
    figures = text(response)
    for number in range(1, 7):
        start = figures.index(f'data-period="{number}"')
        heading = figures[start : figures.index("</th>", start)]
        assert ("includes samples" in heading) is (number in own), number
        cell = figures.index('data-cell="to_date"', start)
        to_date = figures[cell : figures.index("</td>", cell)]
        assert ("includes samples" in to_date) is (number >= 2), number
    lv = text(council_client.get(url("pages:budget", language="lv")))
    assert "ietver paraugus" in lv


def test_a_superseded_version_is_compared_with_the_spending_and_says_so(
    council_client, demo, spending
):
    f.new_version(demo)
    budget_set(
        participation=partner("ventspils"),
        total=f.eur("60000.00"),
        plan=[(FundingSource.objects.get(code="erdf"), Decimal("85"))]
        + [
            (FundingSource.objects.get(code=code), Decimal("7.5"))
            for code in ["lv-state-budget", "ventspils-municipality"]
        ],
    )
    current = text(council_client.get(url("pages:budget")))
    older = text(council_client.get(url("pages:budget") + "?version=1"))
    certified = from_lines(Status.CERTIFIED)
    assert "data-compared-with" not in current
    assert table(current, "expenditure-partners")["data-row=total"]["remaining"] == euro(
        Decimal("60000.00") - certified
    )
    assert 'data-compared-with="1"' in older
    assert "compared with version 1 shown here, not with the current version 2" in older
    older_total = table(older, "expenditure-partners")["data-row=total"]
    assert older_total["planned"] == "€51,280.00"
    assert older_total["remaining"] == euro(Decimal("51280.00") - certified)
    assert older_total["certified"] == euro(certified)  # the spending is the same


def test_the_latvian_budget_page_names_the_spending_in_latvian(council_client, demo, spending):
    body = text(council_client.get(url("pages:budget", language="lv")))
    for word in ["Plānotais un izlietotais", "Deklarēts", "Apliecināts", "Atlikums"]:
        assert word in body
    assert "Skatīt visus izdevumus" in body


@pytest.mark.parametrize("partners", [2, 20])
def test_the_budget_page_makes_the_same_number_of_queries_at_2_and_20_partners(
    client_for, council_member, superuser, django_assert_num_queries, partners
):
    project = project_with_spending(partners, superuser)
    client = client_for(council_member)
    with django_assert_num_queries(QUERIES["budget"]):
        body = text(client.get(url("pages:budget", slug=project.slug)))
    certified = table(body, "expenditure-partners")["data-row=total"]["certified"]
    assert certified == euro(Decimal("200.00") * partners)
