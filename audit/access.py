"""The access trail, readable by a person: who changed whose roles, admin access and
coordinator assignments, and which permissions a role holds.

Read from the rows urbact_portal/lib/history.py keeps for users and groups, and from the
organisations' history of their coordinators; each becomes a `Change` as in the project's
trail (who, when, what, before and after). For a set (roles, permissions, coordinators)
"before" lists what was taken away and "after" what was given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _

from audit.trail import Change, FieldChange
from partners.models import Organisation
from urbact_portal.lib.grammar import noun_of

NONE = "–"


@dataclass(frozen=True)
class _Kind:
    """One kind of record in the access trail and how to read its historical rows."""

    model: type
    fields: list[str]  # fields shown as they are
    set_name: str  # the many-to-many set shown by what it gained and lost
    set_label: Callable[[], str]
    members: type  # the model of the set's members
    target: str  # attribute of a set's row holding the member's id
    record: Callable[[object], str]  # how the record is named in a row
    only: tuple[str, ...] = ()  # the columns needed, when not all

    @property
    def snapshot(self) -> str:
        """Where a historical row keeps its copy of the set (to prefetch it)."""
        copy = self.model.history.model.__dict__[self.set_name].model
        return copy._meta.get_field("history").remote_field.get_accessor_name()

    def rows(self) -> list:
        history = self.model.history.all()
        if self.only:
            history = history.only(*self.only)
        return list(history.select_related("history_user").prefetch_related(self.snapshot))


def _kinds() -> list[_Kind]:
    User = get_user_model()
    return [
        _Kind(
            model=User,
            fields=["is_staff", "is_superuser", "is_active"],
            set_name="groups",
            set_label=lambda: _("roles"),
            members=Group,
            target="group_id",
            record=lambda row: row.username,
        ),
        _Kind(
            model=Group,
            fields=["name"],
            set_name="permissions",
            set_label=lambda: _("permissions"),
            members=Permission,
            target="permission_id",
            record=lambda row: row.name,
        ),
        _Kind(
            model=Organisation,
            fields=[],
            set_name="coordinators",
            set_label=lambda: str(Organisation._meta.get_field("coordinators").verbose_name),
            members=User,
            target="user_id",
            record=lambda row: row.name,
            # Organisations change often, their coordinators seldom: read only what counts.
            # The name in both languages (partners/translation.py): the page's, or the other.
            only=(
                *("id", "name", "name_lv", "name_en"),
                *("history_id", "history_date", "history_type", "history_user"),
            ),
        ),
    ]


class _Names:
    """Names of the members of the sets: users, groups and permissions (one query each;
    deleted users and groups keep the last name the trail knows)."""

    def __init__(self, rows: dict[type, list]):
        User = get_user_model()
        self.of = {
            Group: dict(Group.objects.values_list("id", "name")),
            Permission: {
                pk: f"{app}.{codename}"
                for pk, app, codename in Permission.objects.values_list(
                    "id", "content_type__app_label", "codename"
                )
            },
            User: dict(User.objects.values_list("id", User.USERNAME_FIELD)),
        }
        for row in rows[User]:
            self.of[User].setdefault(row.id, row.username)
        for row in rows[Group]:
            self.of[Group].setdefault(row.id, row.name)

    def of_set(self, kind: _Kind, ids: Iterable[int]) -> str:
        known = self.of[kind.members]
        return ", ".join(sorted(known.get(pk, f"#{pk}") for pk in ids)) or NONE


def _state(kind: _Kind, row) -> dict:
    state = {name: getattr(row, name) for name in kind.fields}
    state[kind.set_name] = frozenset(
        getattr(member, kind.target) for member in getattr(row, kind.snapshot).all()
    )
    return state


def _shown(value) -> str:
    if value is None or value == "":
        return NONE
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _diffs(kind: _Kind, before: dict | None, after: dict | None, names: _Names):
    """What changed between two states; None for "not recorded" (before) or "deleted"
    (after)."""
    unknown = _("not recorded")
    for name in kind.fields:
        old = before[name] if before is not None else None
        new = after[name] if after is not None else None
        if before is None or old != new:
            label = str(kind.model._meta.get_field(name).verbose_name)
            yield FieldChange(label, unknown if before is None else _shown(old), _shown(new))
    old_set = before[kind.set_name] if before is not None else frozenset()
    new_set = after[kind.set_name] if after is not None else frozenset()
    if old_set != new_set:
        taken = unknown if before is None else names.of_set(kind, old_set - new_set)
        yield FieldChange(kind.set_label(), taken, names.of_set(kind, new_set - old_set))


def _changes_of(kind: _Kind, rows: list, names: _Names) -> Iterable[Change]:
    previous: dict[int, dict] = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        state = _state(kind, row)
        if row.history_type == "+":
            before = {name: None for name in kind.fields} | {kind.set_name: frozenset()}
        else:
            before = previous.get(row.id)
        # A deleted record's row is written after its sets are gone: it loses what it had.
        after = None if row.history_type == "-" else state
        if row.history_type == "-" and before is None:
            before = state
        previous[row.id] = state
        fields = tuple(_diffs(kind, before, after, names))
        if not fields:
            continue  # e.g. an organisation's contacts changed, not its coordinators
        yield Change(
            when=row.history_date,
            user=row.history_user,
            kind=kind.model._meta.label_lower,
            kind_name=str(kind.model._meta.verbose_name),
            gender=noun_of(kind.model).gender,
            action=row.history_type,
            record=kind.record(row),
            fields=fields,
            participations=None,
        )


def access_changes() -> list[Change]:
    """Every recorded change of access, newest first (a fixed number of queries)."""
    kinds = _kinds()
    rows = {kind.model: kind.rows() for kind in kinds}
    names = _Names(rows)
    changes = [change for kind in kinds for change in _changes_of(kind, rows[kind.model], names)]
    return sorted(changes, key=lambda c: c.when, reverse=True)
