"""gunicorn's configuration for the portal: `gunicorn -c deploy/gunicorn.conf.py
urbact_portal.wsgi` (what `make serve` runs). Every value can be overridden from the command
line or GUNICORN_CMD_ARGS; README "Production" explains the choices."""

import os

from gunicorn.glogging import Logger

# Where to listen: BIND (e.g. "0.0.0.0:8000" or "unix:/run/portal.sock"), else PORT on
# loopback, for a reverse proxy (nginx) on the same machine to forward to.
bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# One worker per core: the pages and above all the PDF reports are CPU-bound, so more workers
# than cores only queue on the CPU; WEB_CONCURRENCY overrides it (e.g. on a shared machine).
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
worker_class = "sync"

# A 100-partner PDF takes about 1 s here (README, "Benchmarks"); 60 s leaves room for a slow
# disk or a busy database before a stuck worker is killed and replaced.
timeout = 60
graceful_timeout = 30
keepalive = 5

# WeasyPrint and the font caches grow a worker over thousands of reports: a worker is
# replaced after about 1,000 requests (jitter: not all at once).
max_requests = 1000
max_requests_jitter = 100

# Import the portal once in the master: a configuration error stops start-up with Django's
# one line (urbact_portal/settings.py) instead of every worker failing in turn, and the
# workers share the loaded code's memory.
preload_app = True

# The access log on stdout: client, request, status, bytes, milliseconds, user agent.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'


class PortalLogger(Logger):
    """The access log without the health checks (/health/, polled every few seconds by a
    load balancer: they would bury the requests people make). A failed check still logs a
    warning of its own (urbact_portal/health.py)."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") == "/health/":
            return
        super().access(resp, req, environ, request_time)


logger_class = PortalLogger

# gunicorn 24+ opens a control socket under the home directory by default: one path for
# every gunicorn of the user, so a second portal (a benchmark beside `make serve`) would
# clash with the first. Nothing here uses it.
control_socket_disable = True
