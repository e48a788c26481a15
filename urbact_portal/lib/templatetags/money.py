"""{% load money %}: `{{ amount|money }}`, `{{ rate|percent }}` in the page's language."""

from django import template

from urbact_portal.lib.formatting import format_money, format_percent

register = template.Library()


@register.filter
def money(value) -> str:
    """Format a Money or Decimal; empty for None. Raises on a float (never silently wrong)."""
    if value is None or value == "":
        return ""
    return format_money(value)


@register.filter
def percent(value) -> str:
    if value is None or value == "":
        return ""
    return format_percent(value)
