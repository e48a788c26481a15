# The README's two commands are `make run` and `make test`; .ci/run calls `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run serve worker test install browser lint format migrations-check messages messages-check lock \
	bench bench-install bench-db-demo bench-db-large bench-pages bench-load bench-pdf bench-runs clean

# Install the locked dependencies into .venv (again only when the lock changes).
$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

install: $(VENV)/.installed

# The portal on SQLite (var/portal.sqlite3) with the demo network and demo accounts.
run: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py create_demo_accounts
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The portal as in production, on this machine: gunicorn (deploy/gunicorn.conf.py), DEBUG=0,
# static files collected for whitenoise, SQLite (var/portal.sqlite3) unless DATABASE_URL is
# set. The secret key is generated once into var/secret_key (git-ignored, owner-only) so that
# sessions survive a restart; SECRET_KEY in the environment wins. Plain HTTP on loopback
# (HTTPS=0): put a TLS proxy in front for anything else (README, "Production").
SERVE_ENV = DEBUG=0 HTTPS=0 ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localhost,127.0.0.1} \
	SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)}

serve: install var/secret_key
	$(SERVE_ENV) $(PY) manage.py migrate --no-input
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	PORT=$(PORT) $(SERVE_ENV) $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py urbact_portal.wsgi

var/secret_key:
	mkdir -p var
	umask 077 && $(PY) -c "from django.core.management.utils import get_random_secret_key as k; \
	  print(k())" > $@.tmp && mv $@.tmp $@

# The background worker (django-tasks' database backend): makes the reports of the runs
# started on the portal's pages. Beside `make run`, in a second terminal; reloads on code changes.
worker: install
	DEBUG=1 $(PY) manage.py db_worker

# The whole suite; against DATABASE_URL when it is set, else SQLite.
test: install browser
	$(PY) -m pytest

# Browser tests drive Debian's Chromium; install it when missing (needs root, as on CI).
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Lint, formatting, and the layers of the code (import-linter; pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Refresh the one Latvian catalogue, locale/lv (needs GNU gettext); English is the source
# language. Templates are .html and .svg (-e: makemessages reads only .html, .txt and .py
# unless told). Locations name the file, not the line: moving code within a file leaves the
# catalogue as it is. The .mo file is committed.
MAKEMESSAGES := DEBUG=1 $(PY) manage.py makemessages -l lv -e html,txt,py,svg --no-obsolete \
	--add-location=file
CATALOGUE := locale/lv/LC_MESSAGES/django.po

messages: install
	$(MAKEMESSAGES)
	DEBUG=1 $(PY) manage.py compilemessages

# Fails when `make messages` would change the catalogue (its creation date aside): a string
# added to the code or a template without running it, or a .mo file out of date.
messages-check: install
	@tmp=$$(mktemp -d); cp $(CATALOGUE) $$tmp/django.po; \
	$(MAKEMESSAGES) >/dev/null; \
	diff -u -I '^"POT-Creation-Date:' $$tmp/django.po $(CATALOGUE); changed=$$?; \
	cp $$tmp/django.po $(CATALOGUE); \
	msgfmt --check-format -o $$tmp/django.mo $(CATALOGUE) && cmp -s $$tmp/django.mo $(CATALOGUE:.po=.mo); \
	stale=$$?; rm -rf $$tmp; \
	if [ $$changed != 0 ]; then echo "$(CATALOGUE) is out of date: run make messages"; exit 1; fi; \
	if [ $$stale != 0 ]; then echo "$(CATALOGUE:.po=.mo) is out of date: run make messages"; exit 1; fi

# Re-resolve exact versions after changing pyproject.toml.
lock: install
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --all-extras --generate-hashes --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

# Benchmarks on PostgreSQL (README, "Benchmarks"): `make bench` runs them all and writes
# bench/RESULTS.md. Databases bench_demo, bench_large, bench_pdf and bench_runs on BENCH_PG
# (dropped and made again). bench_large (generate_portfolio: BENCH_PROJECTS projects of
# BENCH_PARTNERS partners, BENCH_EXPENDITURE lines) is made only when missing, as it takes
# minutes: `make bench-db-large` makes it again. The parts run alone too (printing their
# tables; only `make bench` writes bench/RESULTS.md).
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_PROJECTS ?= 10000
BENCH_PARTNERS ?= 10
BENCH_EXPENDITURE ?= 1000000
BENCH_VENV := var/bench-venv
export BENCH_PG BENCH_PROJECTS BENCH_PARTNERS BENCH_EXPENDITURE

bench: install bench-install
	$(PY) bench/all.py

# locust (bench/requirements.txt) in a virtualenv of its own, not in .venv.
bench-install: $(BENCH_VENV)/.installed

$(BENCH_VENV)/.installed: bench/requirements.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

bench-db-demo: install
	$(PY) bench/databases.py demo

bench-db-large: install
	$(PY) bench/databases.py large

bench-pages: install
	$(PY) bench/all.py --parts pages --no-results

bench-load: install bench-install
	$(PY) bench/all.py --parts load --no-results

bench-pdf: install
	$(PY) bench/all.py --sizes demo --parts pdf --no-results

bench-runs: install
	$(PY) bench/all.py --sizes demo --parts runs --no-results

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
