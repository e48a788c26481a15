"""{% load dates %}: `{{ day|longdate }}` (a date on its own), `{{ moment|longdatetime }}`,
`{{ day|in_sentence }}` (inside a sentence: Latvian locative by default,
`|in_sentence:"genitive"` for another case), `{% daterange start end %}` (compact), all in
the page's language."""

from django import template

from urbact_portal.lib.dates import (
    date_in_sentence,
    format_date,
    format_date_range,
    format_datetime,
)

register = template.Library()


@register.filter
def longdate(value) -> str:
    return format_date(value) if value else ""


@register.filter
def longdatetime(value) -> str:
    return format_datetime(value) if value else ""


@register.filter
def in_sentence(value, case: str = "locative") -> str:
    return date_in_sentence(value, case) if value else ""


@register.simple_tag
def daterange(start, end=None) -> str:
    return format_date_range(start, end) if start else ""
