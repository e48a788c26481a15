"""Indexes the portal's searches need that Django has no one-word name for."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db.models import Index
from django.db.models.functions import Upper


class TrigramIndex(GinIndex):
    """A PostgreSQL trigram index (pg_trgm's GIN operator class) of UPPER(field): what
    `field__icontains` compares on PostgreSQL (`UPPER(field::text) LIKE UPPER('%…%')`), so a
    search for a piece of a name reads the index instead of every row. The migration that
    adds the first one creates the pg_trgm extension (TrigramExtensionIfPostgres).

    SQLite has no trigram index: there the same name is a plain index of UPPER(field), which
    no search uses (SQLite's LIKE reads every row); it keeps one schema and one set of
    migrations for both databases (a GIN index would not be valid SQL on SQLite)."""

    def __init__(self, field: str, *, name: str):
        self.field = field
        super().__init__(OpClass(Upper(field), name="gin_trgm_ops"), name=name)

    def deconstruct(self):
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        return path, (self.field,), {"name": self.name}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return Index(Upper(self.field), name=self.name).create_sql(model, schema_editor, **kwargs)


class TrigramExtensionIfPostgres(TrigramExtension):
    """Creates pg_trgm on PostgreSQL, and nothing on any other database in either direction
    (Django's own skips other databases when migrating forwards only)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
