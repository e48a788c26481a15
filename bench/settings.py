"""The portal's settings with the bench's urlconf (bench/urls.py): everything else, middleware
and templates included, is the portal's own, read from the environment as in production."""

from urbact_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
