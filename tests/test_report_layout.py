"""Nothing in a report overflows its page: the largest amounts in four source columns, names
of the longest length the models allow, long source names (WeasyPrint's own layout boxes)."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox

from funding.services import budget_set
from projects.models import FundingSource
from reports.data import funding_report
from reports.pdf import _fetcher, _font_config, _stylesheet, report_context, static_url
from tests import factories as f

pytestmark = pytest.mark.django_db

LONG_WORDS = "Pašvaldības Attīstības Plānošanas un Investīciju Piesaistes Departaments "


def _long(length: int) -> str:
    return (LONG_WORDS * 10)[:length].strip()


@pytest.fixture
def extreme(db):
    project = f.project("extreme", approved="3999999999.96")
    sources = [
        f.erdf(),
        *(f.source(f"s{i}", FundingSource.Kind.NATIONAL, 20 + i) for i in range(3)),
    ]
    for source in sources:
        source.name = _long(200)
        source.short_name = _long(40)
        source.save()
    for i in range(4):
        part = f.participation(project, f"extreme-p{i}", lead=(i == 0))
        org = part.organisation
        org.name = _long(200)
        org.local_name = _long(200)
        org.save()
        budget_set(
            participation=part,
            total=f.eur("999999999.99"),
            plan=[(s, Decimal("25")) for s in sources],
        )
    return project


def _overflowing(report, language) -> list[str]:
    template = "reports/partner.html" if report.partner else "reports/project.html"
    with translation.override(language):
        context = report_context(
            report, language=language, generated_at=timezone.now(), generated_by="auditor"
        )
        html = render_to_string(template, context)
    document = HTML(
        string=html, base_url=static_url(""), url_fetcher=_fetcher(), media_type="print"
    ).render(stylesheets=[_stylesheet()], font_config=_font_config())
    found = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        left = box.content_box_x()
        right = left + box.width
        for text in box.descendants():
            outside = text.position_x < left - 0.5 or text.position_x + text.width > right + 0.5
            if isinstance(text, TextBox) and text.text.strip() and outside:
                found.append(f"page {number}: {text.text!r}")
    return found


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_project_report_keeps_everything_on_the_page(extreme, language):
    report = funding_report(project=extreme)
    assert len(report.funding.sources) == 4  # the widest matrix: four source columns
    found = _overflowing(report, language)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_a_partner_report_keeps_everything_on_the_page(extreme, language):
    report = funding_report(project=extreme, partner_slug="extreme-p1")
    found = _overflowing(report, language)
    assert found == [], "\n".join(found)
