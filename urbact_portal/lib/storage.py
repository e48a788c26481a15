"""Storage for files nobody may fetch by URL (supporting documents of expenditure)."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder outside MEDIA_ROOT and the static files: no web server serves it, and it
    has no URL. Each file is handed out by a view that checks who asks first."""

    def url(self, name):
        raise ValueError("Private files have no URL: a view checks access and serves them.")


def private_storage():
    """The private storage, settings.STORAGES["private"] (a deployment may make it an
    S3-compatible store). A FileField calls this once, when its model is built; a migration
    records only the function's name, so changing the setting needs no migration."""
    return storages["private"]
