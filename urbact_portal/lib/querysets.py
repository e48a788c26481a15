"""Bulk writes that still reach the audit trail.

django-simple-history records a row's history from `save()` and `delete()` (the admin,
services, forms, and the deletes of admin actions all go through those). Two ORM paths skip
them: `QuerySet.update()` (which `bulk_update()` uses too) and `QuerySet.bulk_create()`.
Every audited model's manager is built on `AuditedQuerySet`, which records history for
those too, so no write path made with the ORM escapes the trail.
"""

from __future__ import annotations

from django.db import models, transaction


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
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
