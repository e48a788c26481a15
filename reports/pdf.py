"""Turning report HTML into PDF with WeasyPrint, safely and quickly.

Safety: WeasyPrint fetches nothing but the portal's own static files. Templates refer to
them under a virtual origin (`https://static.portal.invalid/static/…`; `.invalid` can never
resolve); `StaticFilesFetcher` serves such URLs from Django's staticfiles finders and
refuses everything else (other hosts, `file://`, `data:`, paths outside the static files),
so there is no network access, no redirect and no local file outside static/. A refused
URL stops the rendering: an audit report is never issued with a resource silently missing.

Speed: the font configuration and the stylesheet (with its @font-face rules, whose fonts
are loaded once) are made once per process and reused for every report.
"""

from __future__ import annotations

import datetime as dt
import io
import mimetypes
import threading
from functools import cache
from importlib.resources import files as importlib_files
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, Attachment
from weasyprint import __version__ as weasyprint_version
from weasyprint import pdf as weasyprint_pdf
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from urbact_portal.lib.dates import format_date

if TYPE_CHECKING:
    from reports.data import FundingReport

STATIC_ORIGIN = "https://static.portal.invalid"
REPORT_CSS = "reports/report.css"


class RefusedURL(ValueError):
    """A URL the report renderer may not fetch."""


class ReportRenderingError(RuntimeError):
    """A report could not be rendered: a static file it needs is missing or refused."""


def static_url(path: str) -> str:
    """The URL a report template uses for a static file (`{{ static_base }}` + path)."""
    return f"{STATIC_ORIGIN}{settings.STATIC_URL}{path}"


def static_path_for(url: str) -> str:
    """The static file path (relative, as finders take it) behind an allowed URL."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    prefix = settings.STATIC_URL
    if origin != STATIC_ORIGIN or not parts.path.startswith(prefix):
        raise RefusedURL(f"Reports may only use the portal's static files, not {url!r}.")
    relative = unquote(parts.path[len(prefix) :])
    segments = PurePosixPath(relative).parts
    if not relative or relative.startswith("/") or ".." in segments or "\\" in relative:
        raise RefusedURL(f"Not a static file path: {url!r}.")
    return relative


class StaticFilesFetcher(URLFetcher):
    """Serves the portal's static files to WeasyPrint and nothing else."""

    def __init__(self) -> None:
        # No protocol is opened by urllib here: `fetch` below never calls it.
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None) -> URLFetcherResponse:
        relative = static_path_for(url)
        found = finders.find(relative)
        if not found:
            raise RefusedURL(f"No such static file: {relative!r}.")
        with open(found, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def open(self, url, data=None, timeout=None):  # never let urllib open anything
        return self.fetch(url.full_url if hasattr(url, "full_url") else url)


@cache
def _fetcher() -> StaticFilesFetcher:
    return StaticFilesFetcher()


# --- A leak in WeasyPrint 70 (weasyprint/text/line_break.py, Layout.setup) ----------------
# Every Pango layout of text with OpenType features (our `font-variant-ligatures: none`,
# `font-variant-numeric: tabular-nums`, any font-kerning) gets a PangoAttrList from
# pango_attr_list_new() that is never unreffed, and its `font_features.setdefault(key,
# pango_attr_font_features_new(...))` makes a new attribute on every call even when the
# key is cached. ~175 bytes of C memory per layout, ~500 layouts per report: RSS grew
# ~90 KiB per report, forever (tracemalloc cannot see it). Fix, for our font configuration
# only: each layout's list gets its own attribute (no shared cached one, so freeing the
# list is safe) and the layout holds the list's only reference, so both are freed with it.


class _UncachedFontFeatures(dict):
    """`FontConfiguration.font_features` that caches nothing: `setdefault` hands back the
    fresh attribute WeasyPrint just made, which the layout's attribute list then owns."""

    def setdefault(self, key, default=None):
        return default


class ReportFontConfiguration(FontConfiguration):
    def __init__(self) -> None:
        super().__init__()
        self.font_features = _UncachedFontFeatures()


_weasyprint_setup = line_break.Layout.setup


def _setup_releasing_attributes(self, style) -> None:
    _weasyprint_setup(self, style)
    if isinstance(style.font_config.font_features, _UncachedFontFeatures):
        attributes = pango.pango_layout_get_attributes(self.layout)
        if attributes != ffi.NULL:  # setup's own reference; the layout keeps its one
            pango.pango_attr_list_unref(attributes)


# Written against WeasyPrint 70's Layout.setup: re-check on upgrade (drop once fixed there).
_FIX_LAYOUT_LEAK = weasyprint_version.startswith("70.")
if _FIX_LAYOUT_LEAK:
    line_break.Layout.setup = _setup_releasing_attributes


# A second one, in PDF/A output: generate_pdf() opens the sRGB profile shipped with
# WeasyPrint (`files(__package__) / 'sRGB2014.icc').open('rb')`) and never closes it, a
# ResourceWarning per report. It is given the profile's bytes in memory instead.


class _InMemoryResource:
    def __init__(self, resource):
        self._resource = resource

    def __truediv__(self, name):
        return _InMemoryResource(self._resource / name)

    def open(self, mode="rb"):
        return io.BytesIO(self._resource.read_bytes())


if _FIX_LAYOUT_LEAK:
    weasyprint_pdf.files = lambda package: _InMemoryResource(importlib_files(package))


@cache
def _font_config() -> FontConfiguration:
    return ReportFontConfiguration() if _FIX_LAYOUT_LEAK else FontConfiguration()


@cache
def _stylesheet() -> CSS:
    return CSS(url=static_url(REPORT_CSS), url_fetcher=_fetcher(), font_config=_font_config())


# WeasyPrint's font configuration is shared; one rendering at a time per process keeps it
# consistent (reports are made on demand, rarely at once).
_render_lock = threading.Lock()


# The canonical figures travel inside the PDF (as an e-invoice carries its XML): an archival
# PDF/A-3 with them attached as `funding.json`, tagged for screen readers.
PDF_VARIANT = "pdf/a-3b"
ATTACHMENT_NAME = "funding.json"


def html_to_pdf(html: str, *, figures: bytes | None = None) -> bytes:
    """Render report HTML (from reports/templates/reports/) to PDF bytes; `figures`, the
    report's canonical JSON, is attached as funding.json.

    Raises ReportRenderingError when a file the report needs cannot be fetched. WeasyPrint
    stops on it with FatalURLFetchingError, a BaseException: it would pass by Django's error
    handling (a view's error would not become the 500 page) and every `except Exception`."""
    attachments = []
    if figures is not None:
        attachments.append(
            Attachment(
                string=figures,
                name=ATTACHMENT_NAME,
                description="Canonical figures (RFC 8785); SHA-256 = the report's fingerprint",
                relationship="Data",
                url_fetcher=_fetcher(),
            )
        )
    with _render_lock:
        try:
            document = HTML(
                string=html, base_url=static_url(""), url_fetcher=_fetcher(), media_type="print"
            )
            return document.write_pdf(
                stylesheets=[_stylesheet()],
                font_config=_font_config(),
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
                attachments=attachments,
            )
        except FatalURLFetchingError as exc:
            reason = exc.__cause__ or exc  # our fetcher's RefusedURL says which file
            raise ReportRenderingError(f"The report could not be rendered: {reason}") from exc


# --- Report HTML ----------------------------------------------------------------------------

# More sources than this and the partners' table lists each partner's plan in rows instead
# of one column per source (a table of many narrow columns would be cut off on A4).
MATRIX_MAX_SOURCES = 4


def _partner_rows(funding) -> list[dict]:
    """For the matrix: each partner with its parts lined up under the source columns."""
    return [
        {"funding": p, "cells": [p.part_from(s) for s in funding.sources]} for p in funding.partners
    ]


def _moment(value: dt.datetime | None, language: str) -> str:
    if value is None:
        return "–"
    value = timezone.localtime(value)
    return f"{format_date(value.date(), language)}, {value:%H:%M}"


def _previous(entry, language: str) -> str:
    """The previous report the change count counts from: when, to whom, its fingerprint (so a
    count of 0 never hides who was issued a report in between)."""
    if entry is None:
        return ""
    user = entry.issued_to
    whom = (user.get_full_name().strip() or user.get_username()) if user else _("a command")
    return _("issued %(when)s to %(whom)s, fingerprint %(fingerprint)s") % {
        "when": _moment(entry.issued_at, language),
        "whom": whom,
        "fingerprint": entry.fingerprint,
    }


def report_title(report: FundingReport) -> str:
    if report.partner is None:
        return _("Funding report: %(project)s") % {"project": report.project.acronym}
    return _("Funding report: %(project)s, %(partner)s") % {
        "project": report.project.acronym,
        "partner": report.partner.organisation.name,
    }


def report_context(
    report: FundingReport,
    *,
    language: str,
    generated_at: dt.datetime,
    generated_by: str,
    changes_since_previous: int | None = None,
    previous_report=None,
    help_url: str = "/reports/fingerprint/",
) -> dict:
    """What the templates need beyond the report's data: the layout of the partners' table
    and the running header and footer (every figure, share included, comes from the report's
    data: funding/selectors.py). Call inside `translation.override(language)`."""
    f = report.funding
    return {
        "report": report,
        "language": language,
        "title": report_title(report),
        "heading": _("Funding report"),
        "wide": len(f.sources) > MATRIX_MAX_SOURCES,
        "rows": _partner_rows(f),
        "as_of_text": _moment(report.data_as_of, language),
        "generated_text": _moment(generated_at, language),
        "generated_by": generated_by,
        "changes_since_previous": changes_since_previous,
        "help_url": help_url,
        "previous_text": _previous(previous_report, language),
        "generated_iso": timezone.localtime(generated_at).isoformat(timespec="seconds"),
    }


def render_report(
    report: FundingReport,
    *,
    language: str,
    generated_at: dt.datetime,
    generated_by: str,
    changes_since_previous: int | None = None,
    previous_report=None,
    help_url: str = "/reports/fingerprint/",
) -> bytes:
    """The PDF of a report in `language` ("lv" or "en"); `changes_since_previous` is how many
    recorded changes concern its figures since the previous report of its kind (None: the
    first)."""
    template = "reports/partner.html" if report.partner else "reports/project.html"
    with translation.override(language):
        context = report_context(
            report,
            language=language,
            generated_at=generated_at,
            generated_by=generated_by,
            changes_since_previous=changes_since_previous,
            previous_report=previous_report,
            help_url=help_url,
        )
        html = render_to_string(template, context)
    return html_to_pdf(html, figures=report.canonical_json)
