"""The PDF renderer fetches the portal's own static files and nothing else."""

import http.server
import threading

import pytest

from reports import pdf


def test_static_files_are_served_from_the_finders():
    response = pdf.StaticFilesFetcher().fetch(pdf.static_url("fonts/DejaVuSans.ttf"))
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x",
        "https://example.org/static/fonts/DejaVuSans.ttf",
        "data:text/plain,hello",
        f"{pdf.STATIC_ORIGIN}/etc/passwd",
        f"{pdf.STATIC_ORIGIN}/static/../urbact_portal/settings.py",
        f"{pdf.STATIC_ORIGIN}/static/%2e%2e/%2e%2e/etc/passwd",
        f"{pdf.STATIC_ORIGIN}/static//etc/passwd",
        f"{pdf.STATIC_ORIGIN}/static/no-such-file.css",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticFilesFetcher().fetch(url)


def test_urllib_is_never_asked_to_open_anything():
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticFilesFetcher().open("http://127.0.0.1:1/x")


@pytest.mark.parametrize(
    "html",
    [
        '<img src="{url}">',
        '<link rel="stylesheet" href="{url}">',
        '<p style="background: url({url})">x</p>',
        "<style>@import url({url});</style>",
    ],
)
def test_a_report_never_reaches_the_network(html):
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x"
        with pytest.raises(pdf.ReportRenderingError, match="may only use the portal's static"):
            pdf.html_to_pdf(html.format(url=url))
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_a_report_cannot_read_local_files():
    with pytest.raises(pdf.ReportRenderingError, match="not 'file:///etc/passwd'"):
        pdf.html_to_pdf('<img src="file:///etc/passwd">')


def test_every_report_reuses_the_one_font_configuration_and_stylesheet(monkeypatch):
    # A new FontConfiguration per report leaks ~224 KiB in WeasyPrint 70 (bench/RESULTS.md)
    # and reloads the fonts: what each rendering hands to WeasyPrint must be the same objects.
    handed = []

    class RecordingHTML(pdf.HTML):
        def write_pdf(self, *args, **kwargs):
            handed.append((kwargs["font_config"], kwargs["stylesheets"]))
            return super().write_pdf(*args, **kwargs)

    monkeypatch.setattr(pdf, "HTML", RecordingHTML)
    pdf.html_to_pdf("<p>Ventspils</p>")
    pdf.html_to_pdf("<p>Mesīna</p>")
    (config, sheets), (config_again, sheets_again) = handed
    assert config is config_again
    assert len(sheets) == len(sheets_again) == 1 and sheets[0] is sheets_again[0]


def test_the_text_is_embedded_in_the_shipped_fonts():
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.html_to_pdf("<p>āčēģīķļņšūž ș ț Ελλάδα</p>")))
    assert reader.pages[0].extract_text().startswith("āčēģīķļņšūž ș ț Ελλάδα\n")
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVu" in name for name in fonts)
