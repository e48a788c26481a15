"""What the benchmark scripts share: where they write, the environment of a production-like
portal (DEBUG off, plain HTTP on loopback), the bench user, the project measured, the machine."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"  # intermediate figures (JSON), git-ignored
BENCH_USERNAME = "bench-auditor"
# Not a secret: a throw-away account in a benchmark database on loopback.
BENCH_PASSWORD = "bench-auditor-password-9f3k"


def portal_env(database_url: str) -> dict[str, str]:
    """The environment of a portal as in production (`make serve`): DEBUG off, HTTP on
    loopback, the bench urlconf (the floor page) on top of the portal's own."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
        DJANGO_SETTINGS_MODULE="bench.settings",
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
    )
    return env


def setup_django(database_url: str) -> None:
    os.environ.update(portal_env(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bench_user():
    """An auditor (reads every page, the history and the reports), with a known password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from projects.roles import AUDITORS

    user, _ = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    user.set_password(BENCH_PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=AUDITORS)])
    return user


def pick_project(slug: str | None = None):
    """The project measured: the one named, else the own organisation's project with the
    most expenditure lines (at demo size the demo project, DI4C; at the large size the
    largest synthetic one)."""
    from django.conf import settings
    from django.db.models import Count

    from partners.models import Participation
    from projects.models import Project

    if slug:
        return Project.objects.get(slug=slug)
    own = Participation.objects.filter(organisation__slug=settings.PORTAL_OWN_ORGANISATION)
    return (
        Project.objects.filter(pk__in=own.values("project"))
        .annotate(lines=Count("participations__expenditure_lines"))
        .order_by("-lines", "pk")
        .first()
    )


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation): a time some request really took."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil
    return ordered[int(rank) - 1]


def write_json(name: str, data) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def read_json(name: str):
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def postgres_version(database_url: str) -> str:
    try:
        out = subprocess.run(
            ["psql", database_url, "-Atc", "show server_version"],
            capture_output=True,
            text=True,
            check=True,
        )
        return "PostgreSQL " + out.stdout.strip().split()[0]
    except (OSError, subprocess.CalledProcessError):
        return "?"


def database_url(name: str) -> str:
    """A database of the benchmarks' PostgreSQL server (BENCH_PG)."""
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    return f"{server}/{name}"
