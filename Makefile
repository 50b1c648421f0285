# The two set-up commands (see README): `make run` and `make test`. Both work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-dev assets messages browser lint typecheck migrations-check security pytest clean postgres pytest-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . || $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

## Spanish (and any other) translations: .po files compiled to .mo (GNU gettext's msgfmt).
messages: $(VENV)/.installed-base
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.installed-base
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

## Start the exchange on http://127.0.0.1:8000 with SQLite and demo data, and a background worker
## (emails, notice PDFs: docs/jobs.md) beside it; stopping the server (Ctrl-C) stops the worker.
run: install assets messages
	$(BIN)/exchange migrate --noinput
	$(BIN)/exchange plans import data/catalog/ma/2026 --year 2026
	$(BIN)/exchange plans import data/catalog/ma/2027 --year 2027
	$(BIN)/exchange db_worker --no-reload --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/exchange runserver 127.0.0.1:8000

## Front-end assets (USWDS, axe-core) from package-lock.json.
assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Install what tests need and run the whole suite (lint, format, types, migrations, pytest).
test: install-dev assets messages browser lint typecheck migrations-check security pytest pytest-postgres

## Debian packages for the tests: headless Chromium (Playwright drives it; no browser download) and
## poppler-utils (pdftotext reads the notices).
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/pdftotext || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy rules rating exchange apps config tests benchmarks scripts

migrations-check:
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

## bandit on the source packages ([tool.bandit] in pyproject.toml) and the dependency audit
## (pip-audit plus PyPI's project JSON; see docs/security.md for what it can and cannot check here).
security: install-dev
	$(BIN)/bandit -q -c pyproject.toml -r apps rules rating exchange config
	$(BIN)/python -m scripts.audit_dependencies

pytest:
	$(BIN)/pytest

## PostgreSQL's server binaries (Debian `postgresql`) for the second run of the suite.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)

## The whole suite again on a throwaway PostgreSQL cluster (free loopback port, removed afterwards;
## fsync off: durability is not under test here). See docs/postgresql.md.
pytest-postgres: postgres install-dev
	$(BIN)/python -m scripts.pg_cluster run --no-fsync -- $(BIN)/pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
