# The two quick-start commands (`make run`, `make test`) and the benchmark (`make bench`).
# Each sets up the virtual environment first, so they work on a fresh clone.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean messages screenshots timeline-css

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true EMAIL_URL=dummy: $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py demo_login
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run

# Node packages the tests use: ical.js (feed parsing) and axe-core (accessibility).
JS := tests/js/node_modules/.installed-stamp
$(JS): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --silent --no-audit --no-fund
	touch $(JS)

test: lint $(JS)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m tests.perf.bench_core
	$(PY) -m tests.perf.bench_feeds
	$(PY) -m tests.perf.bench_invoices
	$(PY) -m tests.perf.bench_staff
	$(PY) -m tests.perf.bench_reports
	$(PY) -m tests.perf.bench_api

# The README's screenshots of the renter's pages, made again in Chromium from a seeded
# throwaway database (docs/screenshots/*.png, desktop and phone). Not part of `make test`.
screenshots: $(STAMP)
	$(PY) -m tests.screenshots

# After changing user-facing strings: refresh the catalogs, translate the new entries in
# locale/{fi,sv}/LC_MESSAGES/django.po (English msgstr = msgid), then compile them.
# The .mo files are committed so that `make run` works without gettext installed.
# The staff timeline's position classes (frontend/timeline_css.py).
timeline-css:
	$(PYTHON) -m frontend.timeline_css > frontend/static/frontend/timeline.css

messages: $(STAMP)
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemessages -l fi -l sv -l en \
		--ignore=.venv --ignore=tests --ignore=node_modules --ignore=staticfiles --no-location
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) build *.egg-info test-*.sqlite3* bench-*.sqlite3*
