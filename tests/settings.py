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

# Background tasks run at once, in the test's own transaction, when they are enqueued: a test
# sees a whole report run finish inside the request that starts it, with no worker process to
# start or poll (tests/test_report_runs.py runs the database backend's worker once, too).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Threads in the concurrency tests open their own connections and close them when done; a
# persistent connection would outlive the test and block dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
