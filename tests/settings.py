"""Test settings: the real settings, with only what tests must change."""

import os

# Tests run like a developer's machine: development key, no HTTPS redirect.
os.environ.setdefault("DEBUG", "1")

from urbact_portal.settings import *  # noqa: E402,F403

# Hashing passwords slowly protects real accounts; in tests it only costs time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests make requests without `collectstatic`: WhiteNoise finds static files as in development
# (and does not warn about the missing STATIC_ROOT, which pytest turns into an error).
WHITENOISE_AUTOREFRESH = True
