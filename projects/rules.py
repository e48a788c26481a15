"""The rules a project's phases and milestones keep, in one place.

- Phases do not overlap: each starts after the previous one has ended (its actual end when
  known, else its planned end); not even one day is shared, so that "the current phase" is
  never ambiguous. They are numbered in the order they run, each number once.
- A phase is approved on or before the day it starts (a single-row rule: `Phase.clean` and a
  database constraint).
- A milestone of a phase lies within that phase, counted from the phase's approval (the
  approval decision is a milestone of the phase too) to its end.
- A milestone of no phase lies within the project's span: from the first phase's approval
  (or start) to the last phase's end. Between two phases is fine: DigiPlace's council
  decision of 3 April 2020 fell between phase 1 and phase 2.

Pure functions over (unsaved) Phase and Milestone objects, as projects/timeline.py does; the
admin's project form builds them from exactly the rows it will store (projects/forms.py).
Problems come back as translated sentences.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from django.utils.translation import gettext as _

from projects.models import Milestone, Phase
from urbact_portal.lib.dates import date_in_sentence, format_date_range

Span = tuple[dt.date, dt.date]


def phase_span(phase: Phase) -> Span:
    """From the phase's approval (or start, when no approval date is entered) to its end."""
    opens = min(phase.approved_on, phase.start) if phase.approved_on else phase.start
    return opens, phase.end


def project_span(phases: Sequence[Phase]) -> Span | None:
    """From the first phase's approval or start to the last phase's end; None: no phases."""
    if not phases:
        return None
    spans = [phase_span(p) for p in phases]
    return min(s for s, _ in spans), max(e for _, e in spans)


def phase_problems(phases: Sequence[Phase]) -> list[str]:
    """What is wrong with a project's set of phases (empty when they keep the rules)."""
    problems = []
    numbers = [p.number for p in phases]
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        problems.append(_("Two phases have the number %(number)s.") % {"number": number})
    ordered = sorted(phases, key=lambda p: (p.start, p.number))
    for before, after in itertools.pairwise(ordered):
        if after.start <= before.end:
            problems.append(
                _(
                    "Phases may not overlap: phase %(after)s starts on %(start)s, before phase "
                    "%(before)s ends on %(end)s."
                )
                % {
                    "after": after.number,
                    "start": date_in_sentence(after.start),
                    "before": before.number,
                    "end": date_in_sentence(before.end),
                }
            )
        elif after.number < before.number:
            problems.append(
                _(
                    "Phase %(earlier)s runs before phase %(later)s: number the phases in the "
                    "order they run."
                )
                % {"earlier": before.number, "later": after.number}
            )
    return problems


def milestone_problems(milestones: Sequence[Milestone], phases: Sequence[Phase]) -> list[str]:
    """Milestones lying outside their phase, or outside the project's span (no phase).

    `phases` are the project's phases; each milestone's `phase` is one of them or None."""
    whole = project_span(phases)
    if whole is None:
        return []  # nothing to measure against until phases are entered
    problems = []
    for milestone in sorted(milestones, key=lambda m: (m.start, m.title)):
        phase = milestone.phase
        first, last = phase_span(phase) if phase is not None else whole
        if first <= milestone.start and milestone.last_day <= last:
            continue
        values = {
            "title": milestone.title,
            "dates": format_date_range(milestone.start, milestone.end),
            "span": format_date_range(first, last),
        }
        if phase is not None:
            values["phase"] = phase.number
            message = _("«%(title)s» (%(dates)s) lies outside phase %(phase)s (%(span)s).")
        else:
            message = _("«%(title)s» (%(dates)s) lies outside the project's phases (%(span)s).")
        problems.append(message % values)
    return problems
