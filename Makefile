# The two commands: `make run` (install and start the tracker) and `make test` (install and run
# the whole suite). Each does its own set-up from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app tracker

.PHONY: run test install install-test bench lint clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Start the tracker on http://127.0.0.1:5000 (SQLite by default), migrations applied first.
run: install
	$(FLASK) db upgrade
	$(FLASK) serve

## Static checks: ruff (lint and format) and bandit.
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -c pyproject.toml -r tracker -q

## Lint, then the whole suite on SQLite, then on PostgreSQL when TRACKER_TEST_DATABASE_URL is set.
test: install-test lint
	@bash scripts/ensure-chromium.sh
	TRACKER_TEST_DATABASE_URL= $(PY) -m pytest -p no:cacheprovider
	@if [ -n "$$TRACKER_TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL: $$TRACKER_TEST_DATABASE_URL"; \
	  $(PY) -m pytest -p no:cacheprovider; \
	else echo "(set TRACKER_TEST_DATABASE_URL=postgresql://127.0.0.1:5432/test to run the suite on PostgreSQL too)"; fi

## Benchmarks (minutes; figures go to bench/RESULTS.md). Not part of `make test`.
bench: install-test
	$(PY) bench/deadlines.py
	$(PY) bench/sweep.py --requests 100000 --database sqlite:///$(CURDIR)/instance/bench-sweep.sqlite
	$(PY) bench/packet.py

clean:
	rm -rf $(VENV) *.egg-info test-output
