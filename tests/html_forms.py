"""Read a rendered form the way a browser (or an attacker copying it) would: every field's
name and current value, ready to be tampered with and posted back."""

from __future__ import annotations

from html.parser import HTMLParser

_SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._first_option: str | None = None
        self._chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:  # the empty row templates of the admin's inlines
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind not in _SKIPPED_INPUTS:
                self._add(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = (a["name"], "multiple" in a)
            self._first_option, self._chosen = None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._add(self._select[0], value)
                self._chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            if not self._chosen and not multiple and self._first_option is not None:
                self._add(name, self._first_option)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that follows <textarea>.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html: str, form_id: str) -> dict:
    """{name: value} of the form with this id (a list where a name occurs several times)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return {k: v[0] if len(v) == 1 else v for k, v in reader.fields.items()}
