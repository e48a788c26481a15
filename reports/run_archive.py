"""A finished run's reports as one zip, streamed: one PDF in memory at a time, whatever the
number of reports, and nothing written to disk."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator

from django.utils import timezone

from reports.models import ReportRun, ReportRunItem
from reports.runs import run_files


class _Sink:
    """The file the zip is written to: it keeps what was written until taken. Having no
    seek() or tell(), it makes zipfile write each entry's sizes after its data."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data


def archive_name(run: ReportRun) -> str:
    return f"funding-reports-run-{run.pk}-{run.language}.zip"


def zip_chunks(run: ReportRun, items: Iterable[ReportRunItem]) -> Iterator[bytes]:
    """The zip of the made reports (`items`: with their register entries), each under
    `<project>/<report's file name>`, PDFs stored as they are (already compressed) so that
    each is byte for byte the registered file; and SHA256SUMS, for `sha256sum -c`."""
    files = run_files()
    moment = timezone.localtime(run.finished_at or run.requested_at).timetuple()[:6]
    sink = _Sink()
    sums = []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for item in items:
            with files.open(item.pdf_path, "rb") as pdf:
                archive.writestr(zipfile.ZipInfo(item.filename, moment), pdf.read())
            sums.append(f"{item.issued_report.pdf_sha256}  {item.filename}\n")
            yield sink.take()
        archive.writestr(zipfile.ZipInfo("SHA256SUMS", moment), "".join(sums))
    yield sink.take()
