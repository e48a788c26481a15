"""{% load dates %}: `{{ day|longdate }}`, `{% daterange start end %}` in the page's language."""

from django import template

from urbact_portal.lib.dates import format_date, format_date_range

register = template.Library()


@register.filter
def longdate(value) -> str:
    return format_date(value) if value else ""


@register.simple_tag
def daterange(start, end=None) -> str:
    return format_date_range(start, end) if start else ""
