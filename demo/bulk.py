"""Writing many rows fast, for the synthetic portfolio (demo/portfolio.py).

Rows are plain dicts keyed by the model's attribute names (`project_id`), each value as the
database stores it; a column left out takes the field's default. On PostgreSQL the rows go
in with COPY (psycopg 3's `cursor.copy()`), elsewhere (SQLite) with one multi-row insert per
batch. Neither runs save() nor signals: the caller writes the historical rows itself.

Primary keys are given by the caller (rows point to each other before any is stored): it
asks `next_id()` where a table's keys may start, and `finish()` moves each sequence past
the keys written, so that the portal's own inserts go on after them.
"""

from __future__ import annotations

import datetime as dt
import enum
import time
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from operator import itemgetter

from django.core.management.color import no_style
from django.db import connections
from django.db.models import Max, Model

SQLITE_BATCH = 500  # rows per INSERT: SQLite allows 32,766 variables in one statement


class BulkWriter:
    def __init__(self, using: str = "default") -> None:
        self.connection = connections[using]
        self.uses_copy = self.connection.vendor == "postgresql"
        self.counts: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()  # spent writing, by table
        self._layouts: dict[tuple[type[Model], bool], tuple] = {}
        self._written: set[type[Model]] = set()

    def next_id(self, model: type[Model]) -> int:
        """The first free primary key of `model`'s table (keys above any stored one)."""
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, model: type[Model], rows: Iterable[dict], *, with_pk: bool = True) -> int:
        """Insert `rows`; without `with_pk` the database numbers them (historical rows)."""
        table, columns, template, values_of = self._layout(model, with_pk)
        tuples = [values_of(template | row) for row in rows]
        if not tuples:
            return 0
        started = time.monotonic()
        if self.uses_copy:
            self._copy(table, columns, tuples)
        else:
            self._insert(table, columns, tuples)
        self.counts[model._meta.label] += len(tuples)
        self.seconds[model._meta.label] += time.monotonic() - started
        if with_pk:
            self._written.add(model)
        return len(tuples)

    def finish(self) -> None:
        """Move the key sequences past the keys written (PostgreSQL; SQLite's AUTOINCREMENT
        follows the largest key by itself), and refresh the planner's statistics."""
        if not self.uses_copy:
            return
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self._written))
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            # Fresh statistics, as autovacuum would give a little later: the pages' plans
            # then fit the new sizes at once.
            cursor.execute("ANALYZE")

    def _layout(self, model: type[Model], with_pk: bool) -> tuple:
        key = (model, with_pk)
        if key not in self._layouts:
            fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
            template = {f.attname: _plain(f.get_default()) for f in fields}
            names = [f.attname for f in fields]
            getter = itemgetter(*names)
            values_of = getter if len(names) > 1 else (lambda row: (getter(row),))
            columns = [self.connection.ops.quote_name(f.column) for f in fields]
            self._layouts[key] = (model._meta.db_table, columns, template, values_of)
        return self._layouts[key]

    def _copy(self, table: str, columns: list[str], tuples: list[tuple]) -> None:
        quoted = self.connection.ops.quote_name(table)
        sql = f"COPY {quoted} ({', '.join(columns)}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for values in tuples:
                copy.write_row(values)

    def _insert(self, table: str, columns: list[str], tuples: list[tuple]) -> None:
        adapt = self._sqlite_value
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per_batch = max(1, min(SQLITE_BATCH, 30000 // len(columns)))
        quoted = self.connection.ops.quote_name(table)
        with self.connection.cursor() as cursor:
            for start in range(0, len(tuples), per_batch):
                batch = tuples[start : start + per_batch]
                sql = f"INSERT INTO {quoted} ({', '.join(columns)}) VALUES " + ", ".join(
                    [one] * len(batch)
                )
                cursor.execute(sql, [adapt(value) for values in batch for value in values])

    def _sqlite_value(self, value):
        if isinstance(value, dt.datetime):
            return self.connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value


def _plain(value):
    """A field's default as the driver takes it (a TextChoices member is its string)."""
    if isinstance(value, enum.Enum):
        return value.value
    return value
