"""django-simple-history, recording many-to-many changes from both sides, and narrowed to
what decides access (audit/models.py registers `AccessHistory`).

Plain simple-history connects a model's history to its many-to-many field's signal, which
also fires when the set is changed from the other side (`user.coordinated_organisations.add(org)`):
it then tries to write the *user* into the organisation's history table and raises a TypeError.
`TwoSidedHistory` records such a change on each record it concerns instead.

Plain simple-history writes a row on every save; for a user that is every login
(`last_login`), every password and every name change: noise that buries the changes the
trail is for. `AccessHistory` writes a row only when one of `access_fields` or a recorded
many-to-many set differs from the last row; the row then holds the whole record as it is.
It also records many-to-many changes made from the other side (`group.user_set.add(user)`)
on the record they concern, which plain simple-history does not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class TrailHistory(HistoricalRecords):
    """simple-history with one more index on each historical table: (id, history_date,
    history_id), the record's rows in the order they were written.

    Which queries need it: the history page compares each row of the trail with the
    record's previous row (audit/trail.py `_visible_rows`: `LAG() OVER (PARTITION BY id
    ORDER BY history_date, history_id)`, which reads the records' rows in this index's
    order instead of sorting them) and AccessHistory reads a record's last row (`WHERE id =
    … AND history_date <= … ORDER BY history_date DESC, history_id DESC LIMIT 1`). With
    simple-history's own indexes (id; history_date) PostgreSQL read and sorted all of a
    record's rows for every row of it when the page looked the previous row up row by row:
    the history page of a project whose budget had 12,500 changes took 42 s (EXPLAIN in the
    commit that added this index)."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        pk = model._meta.pk.attname
        # Index names are at most 30 characters and unique in the database.
        name = f"{model._meta.model_name[:19]}_trail_idx"
        options["indexes"] = [models.Index(fields=[pk, "history_date", "history_id"], name=name)]
        return options


class TwoSidedHistory(TrailHistory):
    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        if not reverse:
            if action in ("post_add", "post_remove", "post_clear"):
                self.record(instance)
            return
        # From the other side: `instance` is e.g. a user, `pk_set` the organisations it concerns.
        if action == "pre_clear":
            related = kwargs["model"]._default_manager.filter(**{attr: instance})
            instance._history_cleared = list(related.values_list("pk", flat=True))
            return
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_history_cleared", [])
        elif action not in ("post_add", "post_remove"):
            return
        for record in kwargs["model"]._default_manager.filter(pk__in=pk_set or ()):
            self.record(record)

    def record(self, instance) -> None:
        """A row for `instance`, whose many-to-many sets changed."""
        if not hasattr(instance, "skip_history_when_saving"):
            self.create_historical_record(instance, "~")


class AccessHistory(TwoSidedHistory):
    # The instance recording each model, for writes made outside its own signals.
    of: dict = {}

    def __init__(self, *args, access_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.access_fields = list(access_fields)

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            AccessHistory.of[sender] = self

    # --- when to write ---------------------------------------------------------------------

    def post_save(self, instance, created, using=None, **kwargs):
        if created:
            super().post_save(instance, created, using=using, **kwargs)
            return
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not set(update_fields) & set(self.access_fields):
            return  # e.g. a login, which saves last_login only
        if self.differs_from_last(instance):
            super().post_save(instance, created, using=using, **kwargs)

    def record(self, instance) -> None:
        """A row for `instance` if its access differs from the last row (e.g. after
        its many-to-many sets changed in ways no signal of its own tells)."""
        if not hasattr(instance, "skip_history_when_saving") and self.differs_from_last(instance):
            self.create_historical_record(instance, "~")

    def differs_from_last(self, instance) -> bool:
        last = getattr(instance, self.manager_name).order_by("-history_date", "-history_id")
        last = last.first()
        if last is None:
            return True
        if any(getattr(last, name) != getattr(instance, name) for name in self.access_fields):
            return True
        for field in self.get_m2m_fields_from_model(instance.__class__):
            target = f"{field.m2m_reverse_field_name()}_id"
            now = set(getattr(instance, field.name).values_list("pk", flat=True))
            then = set(getattr(last, field.name).values_list(target, flat=True))
            if now != then:
                return True
        return False
