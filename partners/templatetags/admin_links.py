"""{% load admin_links %}: the header's links to the admin (partners/admin_links.py)."""

from django import template

from partners.admin_links import admin_links as links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_links(context) -> list:
    user = context.get("user")
    return links_for(user) if user is not None else []
