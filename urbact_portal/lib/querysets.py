"""Bulk writes that still reach the audit trail.

django-simple-history records a row's history from `save()` and `delete()` (the admin,
services, forms, and the deletes of admin actions all go through those). Three ORM paths
skip them: `QuerySet.update()`, `bulk_update()` and `bulk_create()`. Every audited model's
manager is built on `AuditedQuerySet`, which records history for those too, so no write path
made with the ORM escapes the trail. (Hence simple_history's `bulk_create_with_history` and
`bulk_update_with_history` must not be used here: they would record each change twice.)
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db import models, transaction

# Set while bulk_update() writes: it records the history itself, from the objects it is given.
_HISTORY_BY_BULK_UPDATE: ContextVar[bool] = ContextVar("history_by_bulk_update", default=False)


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        if _HISTORY_BY_BULK_UPDATE.get():
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            changed = list(self.model._default_manager.using(self.db).filter(pk__in=pks))
            if changed:
                self.model.history.bulk_history_create(changed, update=True)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            if created and all(obj.pk is not None for obj in created):
                self.model.history.bulk_history_create(created)
            elif created:
                # Without primary keys back from the database (SQLite < 3.35, ignore_conflicts)
                # there is nothing to attach history to: refuse rather than lose the trail.
                raise RuntimeError("bulk_create without primary keys would bypass the audit trail")
        return created

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        """One history row per object, made from the objects given: they carry who changed
        them and why (`_history_user`, `_change_reason`), which update() cannot know."""
        objs = list(objs)
        with transaction.atomic(using=self.db):
            token = _HISTORY_BY_BULK_UPDATE.set(True)
            try:
                count = super().bulk_update(objs, fields, batch_size=batch_size)
            finally:
                _HISTORY_BY_BULK_UPDATE.reset(token)
            if objs:
                self.model.history.bulk_history_create(objs, update=True)
        return count
