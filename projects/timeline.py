"""Where a project stands in time: current phase, days elapsed and left, milestones.

Pure functions over already loaded phases and milestones, with `today` passed in, so
the pages, the PDF reports and the tests (with a fixed date) all agree.
The geometry of the timeline chart (positions in per cent of the axis) is here too:
it is date arithmetic, and the SVG include only draws what it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from projects.models import Milestone, Phase

# When the project ended this long before today, the axis stops at the project's end and
# "today" is drawn as an arrow at the right edge (else years of nothing squash the phases).
TODAY_MAX_GAP = dt.timedelta(days=183)
AXIS_MARGIN = dt.timedelta(days=20)
MAX_TICKS = 20
TICK_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class PhaseStatus:
    """Where the project stands today.

    state: "before" (not started), "running" (a phase is on), "between" (a gap between
    phases), "completed" (the last phase has ended) or "empty" (no phases entered).
    """

    state: str
    phase: Phase | None = None  # the current phase ("running"), else the next or last one
    # Both ends of a phase are days of it, so elapsed + left is its length in days (a phase
    # from 2 Sep 2019 to 2 Mar 2020 has 183): today counts as elapsed, not as left.
    days_elapsed: int | None = None
    days_left: int | None = None
    in_extension: bool = False  # "running" past the planned end, up to the actual end
    starts_on: dt.date | None = None  # "before"/"between": when the next phase starts
    ended_on: dt.date | None = None  # "completed": when the last phase ended

    @property
    def days_total(self) -> int | None:
        """The current phase's length in days, both ends included."""
        if self.days_elapsed is None or self.days_left is None:
            return None
        return self.days_elapsed + self.days_left

    @property
    def progress(self) -> int | None:
        """Per cent of the current phase gone by, for a progress bar."""
        length = self.days_total
        if length is None:
            return None
        return 100 if length <= 0 else round(100 * self.days_elapsed / length)


def phase_status(phases: Sequence[Phase], today: dt.date) -> PhaseStatus:
    ordered = sorted(phases, key=lambda p: (p.start, p.number))
    if not ordered:
        return PhaseStatus(state="empty")
    for phase in ordered:
        if phase.start <= today <= phase.end:
            return PhaseStatus(
                state="running",
                phase=phase,
                days_elapsed=(today - phase.start).days + 1,
                days_left=(phase.end - today).days,
                in_extension=phase.was_extended and today > phase.planned_end,
            )
    upcoming = [p for p in ordered if p.start > today]
    if upcoming:
        state = "before" if upcoming[0] is ordered[0] else "between"
        return PhaseStatus(state=state, phase=upcoming[0], starts_on=upcoming[0].start)
    last = max(ordered, key=lambda p: p.end)
    return PhaseStatus(state="completed", phase=last, ended_on=last.end)


def next_milestone(milestones: Sequence[Milestone], today: dt.date) -> Milestone | None:
    """The first milestone still to come (one under way today counts as next)."""
    coming = [m for m in milestones if m.last_day >= today]
    return min(coming, key=lambda m: (m.start, m.title), default=None)


def last_milestone(milestones: Sequence[Milestone], today: dt.date) -> Milestone | None:
    """The most recent milestone that is over."""
    past = [m for m in milestones if m.last_day < today]
    return max(past, key=lambda m: (m.last_day, m.start, m.title), default=None)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (2 Sep 2019 → 2 Mar 2020: 6)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


# --- The chart ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """The vertical layout of the timeline SVG, in CSS pixels, in one place: the include
    reads it from the chart (`chart.geometry`), so a change here moves what is drawn.
    Across, positions are per cent of the width the page gives the chart."""

    axis_height: int = 30  # the years above the phases
    year_label_y: int = 16  # a year's baseline
    grid_top: int = 22  # where a year's grid line starts (below its label)
    today_top: int = 24  # where the "today" line starts
    row_height: int = 62  # one phase
    label_y: int = 20  # a phase's name: its baseline inside the row
    bar_y: int = 28  # the phase's bar: its top inside the row
    bar_height: int = 20
    gap: int = 10  # between the phases and the milestones
    # The milestones: a line, and under it numbered circles on two alternating rows, so that
    # neighbouring milestones' circles do not cover each other.
    marker_line_y: int = 20
    marker_span_height: int = 8  # an event of several days: a band on the line
    marker_rows: tuple[int, ...] = (44, 68)  # the circles' centres
    marker_radius: int = 12
    footer_height: int = 26  # "Today"
    bottom_margin: int = 4  # below the grid lines and the "today" line
    today_label_lift: int = 8  # the "Today" label's baseline above the bottom

    @property
    def marker_span_y(self) -> int:
        return self.marker_line_y - self.marker_span_height // 2

    @property
    def markers_height(self) -> int:
        return max(self.marker_rows) + self.marker_radius + 4


GEOMETRY = Geometry()


@dataclass(frozen=True)
class Bar:
    phase: Phase
    y: float  # the top of the phase's row
    x: float  # per cent of the axis width
    planned_width: float
    actual_width: float | None  # None: no actual end entered yet
    extension_x: float | None  # where the actual end goes past the planned end
    extension_width: float | None

    @property
    def label_at_end(self) -> bool:
        """A phase that starts in the right half has its name end at its bar's end, so the
        name stays inside the chart on a narrow screen."""
        return self.x > 50

    @property
    def label_x(self) -> float:
        if not self.label_at_end:
            return self.x
        return round(self.x + max(self.planned_width, self.actual_width or 0), 3)

    @property
    def planned_months(self) -> int:
        return months_between(self.phase.start, self.phase.planned_end)

    @property
    def actual_months(self) -> int | None:
        actual = self.phase.actual_end
        return None if actual is None else months_between(self.phase.start, actual)


@dataclass(frozen=True)
class Marker:
    number: int
    milestone: Milestone
    x: float
    width: float  # >0 for events of several days
    cy: int  # the centre of its numbered circle (rows alternate: Geometry.marker_rows)
    stem_end: int  # where the line from the axis down to the circle ends


@dataclass(frozen=True)
class Tick:
    year: int
    x: float


@dataclass(frozen=True)
class TimelineChart:
    start: dt.date
    end: dt.date
    bars: list[Bar]
    markers: list[Marker]
    ticks: list[Tick]
    today: dt.date
    today_x: float
    today_inside: bool  # False: today lies after the axis; drawn as an arrow at the edge
    geometry: Geometry = GEOMETRY

    @property
    def markers_y(self) -> int:
        g = self.geometry
        return g.axis_height + g.row_height * len(self.bars) + g.gap

    @property
    def height(self) -> int:
        return self.markers_y + self.geometry.markers_height + self.geometry.footer_height

    @property
    def lines_bottom(self) -> int:
        """Where the years' grid lines and the "today" line end."""
        return self.height - self.geometry.bottom_margin

    @property
    def today_label_y(self) -> int:
        return self.height - self.geometry.today_label_lift


def _shift(day: dt.date, delta: dt.timedelta) -> dt.date:
    """day + delta, stopping at the first or last date Python knows: the chart must draw
    whatever is stored, even a date the forms and the database would refuse today."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta > dt.timedelta(0) else dt.date.min


def _axis(phases: Sequence[Phase], milestones: Sequence[Milestone], today: dt.date):
    days = [p.start for p in phases] + [m.start for m in milestones]
    ends = [max(p.end, p.planned_end) for p in phases] + [m.last_day for m in milestones]
    start, end = _shift(min(days), -AXIS_MARGIN), _shift(max(ends), AXIS_MARGIN)
    if _shift(start, -TODAY_MAX_GAP) <= today <= _shift(end, TODAY_MAX_GAP):
        start = min(start, _shift(today, -AXIS_MARGIN))
        end = max(end, _shift(today, AXIS_MARGIN))
    return start, end


def _marker(number: int, milestone: Milestone, *, x: float, width: float,
            geometry: Geometry) -> Marker:  # fmt: skip
    rows = geometry.marker_rows
    cy = rows[(number - 1) % len(rows)]
    return Marker(number=number, milestone=milestone, x=x, width=width, cy=cy,
                  stem_end=cy - geometry.marker_radius + 2)  # fmt: skip


def _ticks(start: dt.date, end: dt.date, x) -> list[Tick]:
    """A tick on 1 January of each year on the axis; over a long axis every 2nd, 5th,
    10th … year, so that the chart never carries more than MAX_TICKS."""
    years = range(start.year + 1, end.year + 1)
    step = next(s for s in TICK_STEPS if len(years) <= s * MAX_TICKS)
    return [
        Tick(year=year, x=x(dt.date(year, 1, 1)))
        for year in years
        if year % step == 0 or step == 1
        if start < dt.date(year, 1, 1) <= end
    ]


def timeline_chart(
    phases: Sequence[Phase],
    milestones: Sequence[Milestone],
    today: dt.date,
    *,
    geometry: Geometry = GEOMETRY,
) -> TimelineChart | None:
    """Positions for the timeline SVG; None when there is nothing dated to draw."""
    if not phases and not milestones:
        return None
    start, end = _axis(phases, milestones, today)
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(100 * (day - start).days / span, 3)

    def width(first: dt.date, last: dt.date) -> float:
        return max(x(last) - x(first), 0.0)

    bars = []
    for row, phase in enumerate(sorted(phases, key=lambda p: (p.start, p.number))):
        actual = phase.actual_end
        extended = phase.was_extended
        bars.append(
            Bar(
                phase=phase,
                y=geometry.axis_height + row * geometry.row_height,
                x=x(phase.start),
                planned_width=width(phase.start, phase.planned_end),
                actual_width=None if actual is None else width(phase.start, actual),
                extension_x=x(phase.planned_end) if extended else None,
                extension_width=width(phase.planned_end, actual) if extended else None,
            )
        )
    markers = [
        _marker(i, m, x=x(m.start), width=width(m.start, m.last_day), geometry=geometry)
        for i, m in enumerate(sorted(milestones, key=lambda m: (m.start, m.title)), start=1)
    ]
    ticks = _ticks(start, end, x)
    inside = start <= today <= end
    return TimelineChart(
        start=start,
        end=end,
        bars=bars,
        markers=markers,
        ticks=ticks,
        today=today,
        today_x=x(today) if inside else 100.0,
        today_inside=inside,
        geometry=geometry,
    )
