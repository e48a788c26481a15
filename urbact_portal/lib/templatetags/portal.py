"""{% load portal %}: the bits of the page frame that need Python."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict]:
    """The languages to switch to, each with the current page's address in that language."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    return [
        {"code": code, "name": name, "next": translate_url(path, code)}
        for code, name in settings.LANGUAGES
        if code != current
    ]


@register.filter
def phase_label(phase) -> str:
    """A phase as the reader's language names it ("2. posms" / "Phase 2"); the stored name
    is data entered in one language, the number reads the same in all."""
    if phase is None:
        return ""
    return gettext("Phase %(number)s") % {"number": phase.number}
