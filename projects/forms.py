"""The project form's inline formsets: the phase rules (projects/rules.py) checked on exactly
the phases and milestones that will be stored."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from projects import rules
from projects.models import Milestone, Phase
from urbact_portal.lib.formsets import RowsFormSet
from urbact_portal.lib.translation import LANGUAGES

PHASE_FIELDS = ["number", "approved_on", "start", "planned_end", "actual_end"]


def _phase(row: dict) -> Phase:
    stored = row.get("id")  # the row's stored Phase for an existing row, else None
    return Phase(pk=stored.pk if stored else None, **{f: row.get(f) for f in PHASE_FIELDS})


class PhaseFormSet(RowsFormSet):
    """Phases do not overlap and are numbered in the order they run."""

    def phases_to_store(self) -> list[Phase]:
        """The project's phases once saved (call when the formset is valid); phases kept as
        stored but named by no form (a crafted POST) have no pk here."""
        return [_phase(row) for row in self.rows_to_store()]

    def deleted_pks(self) -> set:
        return {form.instance.pk for form in self.deleted_forms if form.instance.pk}

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        problems = rules.phase_problems(self.phases_to_store())
        if problems:
            raise ValidationError(problems)


class MilestoneFormSet(RowsFormSet):
    """Milestones lie within their phase, or within the project's span: measured against the
    phases that will be stored (the project admin hands over the phase formset), not the
    stored ones, so that a phase and its milestones can move in one save."""

    phase_formset: PhaseFormSet | None = None

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        phases = self._phases()
        if phases is None:
            return  # the phase formset has errors of its own; they are shown first
        milestones = [self._milestone(row, phases) for row in self.rows_to_store()]
        problems = rules.milestone_problems(milestones, list(phases["all"]))
        if problems:
            raise ValidationError(problems)

    def _phases(self) -> dict | None:
        phase_formset = self.phase_formset
        if phase_formset is None:  # used on its own: the stored phases
            stored = list(Phase.objects.filter(project=self.instance)) if self.instance.pk else []
            return {"all": stored, "by_pk": {p.pk: p for p in stored}, "deleted": set()}
        if not phase_formset.is_valid():
            return None
        to_store = phase_formset.phases_to_store()
        return {
            "all": to_store,
            "by_pk": {p.pk: p for p in to_store if p.pk},
            "deleted": phase_formset.deleted_pks(),
        }

    @staticmethod
    def _milestone(row: dict, phases: dict) -> Milestone:
        stored_phase = row.get("phase")
        if stored_phase is None or stored_phase.pk in phases["deleted"]:
            phase = None  # a deleted phase leaves its milestones without one (SET_NULL)
        else:
            # Its dates as they will be stored; a phase no form names keeps its stored dates.
            phase = phases["by_pk"].get(stored_phase.pk, stored_phase)
        # The title in both languages (projects/translation.py): the messages name the
        # milestone in the page's language, or the other.
        titles = {f"title_{lang}": row.get(f"title_{lang}") or "" for lang in LANGUAGES}
        return Milestone(**titles, start=row["start"], end=row.get("end"), phase=phase)
