"""Storage for files nobody may fetch by URL (supporting documents of expenditure)."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder outside MEDIA_ROOT and the static files: no web server serves it, and it
    has no URL. Each file is handed out by a view that checks who asks first."""

    def url(self, name):
        raise ValueError("Private files have no URL: a view checks access and serves them.")


def private_storage():
    """The private storage (settings.STORAGES["private"]), looked up when used, so that a
    deployment (an S3-compatible store) or a test (a temporary folder) can change it."""
    return storages["private"]
