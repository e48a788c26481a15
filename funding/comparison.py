"""Two versions of a project's budget side by side: per partner, per funding source and in
total, each version's figure and the difference, to the cent. Built from the two versions'
`project_funding()`, so the figures are those the budget page shows for each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from djmoney.money import Money

from funding.selectors import ProjectFunding

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ComparedRow:
    label: str
    key: str  # an organisation's slug, a source's code, or a total's name
    before: Money | None  # None: nothing entered in that version
    after: Money | None

    @property
    def difference(self) -> Money:
        before = self.before.amount if self.before is not None else ZERO
        after = self.after.amount if self.after is not None else ZERO
        return Money(after - before, "EUR")

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Comparison:
    before: ProjectFunding
    after: ProjectFunding
    partners: list[ComparedRow]
    sources: list[ComparedRow]
    totals: list[ComparedRow]


def compare(before: ProjectFunding, after: ProjectFunding, *, labels: dict[str, str]) -> Comparison:
    """`labels` names the total rows in the reader's language: "allocated", "unplanned",
    "unallocated", "approved"."""
    after_partners = {p.participation.pk: p for p in after.partners}
    partners = [
        ComparedRow(
            str(p.organisation.name),
            p.organisation.slug,
            p.total,
            after_partners[p.participation.pk].total,
        )
        for p in before.partners
    ]
    before_sources = {t.source.pk: t for t in before.source_totals}
    after_sources = {t.source.pk: t for t in after.source_totals}
    sources = {**{t.source.pk: t.source for t in before.source_totals}}
    sources |= {t.source.pk: t.source for t in after.source_totals}
    return Comparison(
        before=before,
        after=after,
        partners=partners,
        sources=[
            ComparedRow(
                str(source),
                source.code,
                before_sources[pk].amount if pk in before_sources else None,
                after_sources[pk].amount if pk in after_sources else None,
            )
            for pk, source in sorted(sources.items(), key=lambda s: (s[1].position, s[1].name))
        ],
        totals=[
            ComparedRow(labels[name], name, getattr(before, name), getattr(after, name))
            for name in ("allocated", "unplanned", "unallocated", "approved_total")
        ],
    )
