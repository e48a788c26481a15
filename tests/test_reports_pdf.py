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


def test_fonts_and_stylesheet_are_made_once_per_process():
    assert pdf._font_config() is pdf._font_config()
    assert pdf._stylesheet() is pdf._stylesheet()


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
