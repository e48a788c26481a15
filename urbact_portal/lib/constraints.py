"""A model's constraints checked on an instance without a query per check.

Django's `Model.validate_constraints()` asks the database to evaluate each CheckConstraint's
condition for the instance (a SELECT, in a transaction inside a savepoint too: three
queries per constraint and instance). A writer checking a thousand rows at once cannot
afford that. `validate_constraints_in_memory` evaluates the same conditions — the model's
own `Meta.constraints`, the one definition of the rule — in Python, as SQL would: three-valued
logic (a comparison with NULL is unknown, and a CHECK passes unless its condition is false),
a negated lookup on a nullable column read as Django writes it (NOT (x = v AND x IS NOT
NULL)). Conditions it cannot read (transforms such as `month__day`, joins, functions) and the
other constraints (unique ones) are checked by Django's own `constraint.validate`, which may
query.
"""

from __future__ import annotations

import operator

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q

COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class NotInMemory(Exception):
    """A condition this module does not read: the database checks it."""


def _and(results):
    results = list(results)
    if False in results:
        return False
    return None if None in results else True


def _or(results):
    results = list(results)
    if True in results:
        return True
    return None if None in results else False


def _field(instance: models.Model, name: str) -> models.Field:
    if name == "pk":
        return instance._meta.pk
    try:
        return instance._meta.get_field(name)
    except FieldDoesNotExist:
        raise NotInMemory(name) from None


def _value(instance: models.Model, field: models.Field, value):
    """A value as the column holds it (a Money as its amount, a key as its id)."""
    if isinstance(value, F):
        named = _field(instance, value.name)
        value = getattr(instance, named.attname)
        field = named
    elif hasattr(value, "resolve_expression"):
        raise NotInMemory(value)
    return None if value is None else field.get_prep_value(value)


def _lookup(instance: models.Model, path: str, rhs, negated: bool):
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    field = _field(instance, name)
    if field.is_relation and not field.many_to_one:
        raise NotInMemory(path)
    own = _value(instance, field, getattr(instance, field.attname))
    if lookup == "isnull":
        return (own is None) == bool(rhs)
    if lookup == "exact" and rhs is None:
        return own is None
    if lookup not in COMPARISONS:
        raise NotInMemory(path)
    other = _value(instance, field, rhs)
    result = None if own is None or other is None else COMPARISONS[lookup](own, other)
    if negated and field.null:
        result = _and([result, own is not None])
    return result


def _holds(instance: models.Model, condition: Q, negated: bool = False):
    """True, False or None (unknown) for the condition on the instance's values."""
    inside = negated != condition.negated
    results = (
        _holds(instance, child, inside)
        if isinstance(child, Q)
        else _lookup(instance, child[0], child[1], inside)
        for child in condition.children
    )
    result = _and(results) if condition.connector == Q.AND else _or(results)
    if condition.negated:
        return None if result is None else not result
    return result


def _referenced(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _referenced(child)
        else:
            names.add(child[0].split("__", 1)[0])
            if isinstance(child[1], F):
                names.add(child[1].name)
    return names


def validate_constraints_in_memory(
    instance: models.Model, exclude=None, using: str = DEFAULT_DB_ALIAS
) -> None:
    """What `instance.validate_constraints(exclude)` raises, the same messages and codes."""
    exclude = set(exclude or ())
    errors: dict = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                _validate(instance, model, constraint, exclude, using)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _validate(instance, model, constraint, exclude: set, using: str) -> None:
    if isinstance(constraint, models.CheckConstraint):
        condition = constraint.condition
        if _referenced(condition) & exclude:
            return  # as Django does: a constraint on an excluded field is not checked
        try:
            holds = _holds(instance, condition)
        except NotInMemory:
            pass
        else:
            if holds is False:
                raise ValidationError(
                    constraint.get_violation_error_message(),
                    code=constraint.violation_error_code,
                )
            return
    constraint.validate(model, instance, exclude=exclude, using=using)
