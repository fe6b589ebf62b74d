# The two quick-start commands (`make run`, `make test`) and the benchmark (`make bench`).
# Each sets up the virtual environment first, so they work on a fresh clone.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py demo_login
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m tests.perf.bench_core

clean:
	rm -rf $(VENV) build *.egg-info test-*.sqlite3* bench-*.sqlite3*
