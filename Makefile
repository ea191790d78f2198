# Kindred: `make run` serves the demo on SQLite, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format clean bench-search

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the pinned dependencies change.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(FLASK) db upgrade
	@if [ "$${KINDRED_DEMO:-1}" != "0" ]; then $(FLASK) seed-demo --if-empty; fi
	@echo "Kindred is starting on http://127.0.0.1:$(PORT)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests config.py wsgi.py
	$(BIN)/ruff format --check app tests config.py wsgi.py

format: $(VENV)/.installed-test
	$(BIN)/ruff format app tests config.py wsgi.py
	$(BIN)/ruff check --fix app tests config.py wsgi.py

# Search benchmark (issue 5): seeds an empty database once (DATABASE_URL, default instance/bench-search.sqlite3),
# then prints the median and p95 of two-word searches.
bench-search: $(VENV)/.installed-app
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
