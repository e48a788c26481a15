"""Reading an admin form as a browser submits it, to post it back as it is or tampered
with (as an attacker would), and what "nothing stored" means."""

from __future__ import annotations

from html.parser import HTMLParser

from django.urls import reverse
from django.utils import translation

from funding.models import Budget, BudgetLine, CoFinancingShare
from partners.models import Initiative, Organisation, Participation


class _FormReader(HTMLParser):
    """The successful controls of one <form>: what a browser would post for it."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self.select: str | None = None
        self.select_multiple = False
        self.first_option: str | None = None
        self.textarea: str | None = None

    def _named(self, attrs: dict) -> str | None:
        name = attrs.get("name")
        # Disabled controls are not sent; "__prefix__" rows are the inlines' blank templates.
        if not self.inside or not name or "disabled" in attrs or "__prefix__" in name:
            return None
        return name

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        elif tag == "input" and (name := self._named(attrs)):
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and (name := self._named(attrs)):
            self.select, self.select_multiple, self.first_option = name, "multiple" in attrs, None
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            if self.first_option is None:
                self.first_option = value
            if "selected" in attrs:
                self.fields[self.select].append(value)
        elif tag == "textarea" and (name := self._named(attrs)):
            self.textarea = name
            self.fields[name] = [""]

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            # A single <select> with nothing selected sends its first option.
            if not self.select_multiple and not self.fields[self.select]:
                self.fields[self.select].append(self.first_option or "")
            self.select = None
        elif tag == "textarea" and self.textarea:
            value = self.fields[self.textarea][-1]
            # Browsers drop the newline that starts a <textarea>'s content.
            self.fields[self.textarea][-1] = value.removeprefix("\n")
            self.textarea = None


def copy_form(client, url: str) -> dict:
    """GET the admin page and read its change form as a browser would post it."""
    response = client.get(url)
    assert response.status_code == 200, url
    opts = response.context["opts"]
    reader = _FormReader(f"{opts.model_name}_form")
    reader.feed(response.content.decode())
    assert reader.fields, "no form on the page"
    return {
        name: values[0] if len(values) == 1 else values
        for name, values in reader.fields.items()
        if values
    }


def admin_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:{name}", args=args)


def change_url(obj) -> str:
    return admin_url(f"{obj._meta.app_label}_{obj._meta.model_name}_change", obj.pk)


# --- What "nothing stored" means ----------------------------------------------------------

PARTNER_DATA = [Budget, CoFinancingShare, BudgetLine, Organisation, Initiative, Participation]


def stored() -> dict:
    """Every row of partner data, and how many changes the audit trail holds."""
    # values() reads a text kept in two languages in the active one (a request may change it).
    with translation.override("lv"):
        rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in PARTNER_DATA}
    rows["history"] = [m.history.count() for m in PARTNER_DATA]
    return rows


def assert_refused(response, before: dict) -> None:
    if response.status_code == 200:  # the form again, with its errors
        assert response.context["errors"], "a forged form was accepted"
    else:
        assert response.status_code in (403, 404), response.status_code
    assert stored() == before
