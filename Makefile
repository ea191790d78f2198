# Kindred: `make run` serves the demo on SQLite, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-fast test-postgres lint format clean bench-search bench bench-pictures load audit translations compile-translations scan

# Translations: app/translations/<lang>/LC_MESSAGES/messages.po are kept in git, the compiled .mo files are built.
TRANSLATIONS := app/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
LANGUAGES ?= es fr de ar
PYBABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 --ignore-dirs='.* __pycache__ .venv node_modules'

# --upgrade-deps: the pip and setuptools bundled with Python are old releases with known advisories.
$(BIN)/python:
	$(PYTHON) -m venv --upgrade-deps $(VENV)

# Re-install only when the pinned dependencies change.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app $(COMPILED)
	$(FLASK) db upgrade
	@if [ "$${KINDRED_DEMO:-1}" != "0" ]; then $(FLASK) seed-demo --if-empty; fi
	@echo "Kindred is starting on http://127.0.0.1:$(PORT)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Two workers (pytest-xdist), one per core here; PYTEST_WORKERS=0 runs in one process (easier to debug). Idle
# workers take tests from a busy one, so the few slow hostile-input tests do not leave one core waiting at the end.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=15
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/kindred_test

# The whole suite on SQLite, browser tests included.
test: $(VENV)/.installed-test $(COMPILED)
	$(PYTEST) $(PYTEST_ARGS)

# A quick check while working: everything but the browser tests.
test-fast: $(VENV)/.installed-test $(COMPILED)
	$(PYTEST) --ignore=tests/browser $(PYTEST_ARGS)

# The suite again on PostgreSQL (each worker creates its own database beside TEST_DATABASE_URL's). Tests marked
# `once` (processes, sleeps, browsers) have already run in the SQLite pass.
test-postgres: $(VENV)/.installed-test $(COMPILED)
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PYTEST) --ignore=tests/browser -m "not once" $(PYTEST_ARGS)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed-app
	$(BIN)/pybabel compile --statistics -i $< -o $@ -l $*

# Extract every translatable string into messages.pot, merge it into each language's catalogue, compile them all.
translations: $(VENV)/.installed-app
	$(BIN)/pybabel extract -F babel.cfg $(PYBABEL_KEYWORDS) --add-location=file --sort-by-file --no-wrap \
		--project=Kindred --copyright-holder="Kindred contributors" -o $(TRANSLATIONS)/messages.pot .
	for lang in $(LANGUAGES); do \
		if [ -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-wrap --ignore-obsolete --no-fuzzy-matching -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang; \
		else \
			$(BIN)/pybabel init --no-wrap -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l $$lang; \
		fi; \
	done
	$(MAKE) compile-translations

compile-translations: $(COMPILED)

# pip-audit against PyPI's vulnerability data for everything installed (tools/audit.py explains the fallback).
audit: $(VENV)/.installed-test
	$(BIN)/python tools/audit.py

# wapiti3 against a served demo, signed in as a member (tools/scan.py); about five minutes plus installing once.
SCAN_VENV := .venv-scan
SCAN_PINS = $$($(BIN)/python -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['scan']))")
$(SCAN_VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PYTHON) -m venv --upgrade-deps $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet $(SCAN_PINS)
	touch $@

scan: $(VENV)/.installed-app $(SCAN_VENV)/.installed $(COMPILED)
	$(BIN)/python tools/scan.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench tools config.py wsgi.py
	$(BIN)/ruff format --check app tests bench tools config.py wsgi.py
	$(BIN)/mypy app

format: $(VENV)/.installed-test
	$(BIN)/ruff format app tests bench tools config.py wsgi.py
	$(BIN)/ruff check --fix app tests bench tools config.py wsgi.py

# Search benchmark: seeds an empty database once (DATABASE_URL, default instance/bench-search.sqlite3),
# then prints the median and p95 of two-word searches.
bench-search: $(VENV)/.installed-app
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

# Page benchmark: seeds instance/bench.sqlite3 once (or DATABASE_URL, or each --database URL in BENCH_ARGS),
# serves Kindred and a bare Flask reference with gunicorn, loads every page with wrk; writes bench/results.md.
# Quick run: make bench BENCH_ARGS="--database sqlite:///instance/bench-small.sqlite3 --topics 2000 --posts 20000 --seconds 3"
bench: $(VENV)/.installed-app bench-pictures
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Picture benchmark: median time and peak extra memory to process a 12-megapixel phone photo (< 1 s, < 150 MB).
bench-pictures: $(VENV)/.installed-app
	$(BIN)/python bench/pictures.py $(BENCH_PICTURES_ARGS)

# Load test: gunicorn (2 workers) on PostgreSQL + Redis, 50 clients mixing reads, replies, helpful marks and
# flags for 60 s, then checks that every acknowledged write is stored, counters are right and nothing answered 5xx.
# Rebuilds DATABASE_URL (default: kindred_load on 127.0.0.1:5432). Shorter: make load LOAD_ARGS="--duration 20"
load: $(VENV)/.installed-app
	$(BIN)/python bench/mixed_load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache tests/tools/node_modules
