# The two commands: `make run` (install and start the tracker) and `make test` (install and run
# the whole suite). Each does its own set-up from a fresh clone, installing the exact versions
# (and hashes) of requirements/*.txt; `make lock` writes those files again from setup.cfg.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app tracker
PIP_INSTALL := $(PY) -m pip install --quiet --require-hashes
# The tracker itself, with the locked setuptools and wheel and no dependency of its own.
PIP_INSTALL_SELF := $(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
PIP_TOOLS ?= pip-tools>=7.4,<8
# The suite runs in this many processes (pytest-xdist; 0: one process, no xdist). Each has its
# own template database and PostgreSQL schemas; a test file stays in one process (loadfile), so
# a module's shared dataset is built once.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile

.PHONY: run test install install-test install-deploy lock bench lint messages clean

$(VENV)/.installed: requirements/run.txt setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements/run.txt
	$(PIP_INSTALL_SELF)
	$(PY) -m pip check  # fails when setup.cfg asks for something the lock lacks: make lock
	$(PY) -m tracker.language.catalogues compile  # the .mo files (not committed) from the .po ones
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(PIP_INSTALL) -r requirements/test.txt
	touch $@

$(VENV)/.installed-deploy: $(VENV)/.installed requirements/deploy.txt
	$(PIP_INSTALL) -r requirements/deploy.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
## The production set (the tracker and gunicorn), for the README's deployment recipe.
install-deploy: $(VENV)/.installed-deploy

## Write requirements/*.txt again from setup.cfg and requirements/build.in, keeping the pinned
## versions that still fit (`make lock UPGRADE=1` takes the newest that fit instead).
lock:
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet '$(PIP_TOOLS)'
	$(PIP_COMPILE) --output-file requirements/run.txt setup.cfg requirements/build.in
	$(PIP_COMPILE) --extra test --extra deploy --constraint requirements/run.txt \
		--output-file requirements/test.txt setup.cfg requirements/build.in
	$(PIP_COMPILE) --extra deploy --constraint requirements/run.txt \
		--output-file requirements/deploy.txt setup.cfg requirements/build.in

## Start the tracker on http://127.0.0.1:$(PORT) (SQLite by default), migrations applied first:
## `make run PORT=8080` serves on another port (links in mails and feeds follow it).
PORT ?= 5000
HOST ?= 127.0.0.1
run: install
	$(FLASK) db upgrade
	$(FLASK) serve --host $(HOST) --port $(PORT)

## Static checks: ruff (lint and format), bandit, mypy (pyproject.toml: strict on
## tracker/deadlines/, default elsewhere), and the translation catalogues (a message
## without its French, a dropped placeholder, a stale message: `make messages`, then translate).
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -c pyproject.toml -r tracker -q
	$(VENV)/bin/mypy tracker
	$(PY) -m tracker.language.catalogues check

## Extract the messages of the code and templates (babel.cfg) into every catalogue under
## tracker/translations/ (new ones empty, gone ones dropped), then compile the .mo files.
messages: install
	$(PY) -m tracker.language.catalogues update

## Lint, then the whole suite on SQLite, then on PostgreSQL when TRACKER_TEST_DATABASE_URL is set.
test: install-test lint
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-tesseract.sh
	@bash scripts/ensure-dovecot.sh
	TRACKER_TEST_DATABASE_URL= $(PYTEST)
	@if [ -n "$$TRACKER_TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL: $$TRACKER_TEST_DATABASE_URL"; \
	  $(PYTEST); \
	else echo "(set TRACKER_TEST_DATABASE_URL=postgresql://127.0.0.1:5432/test to run the suite on PostgreSQL too)"; fi

## Benchmarks (minutes; figures go to bench/RESULTS.md). Not part of `make test`.
bench: install-test
	$(PY) bench/deadlines.py
	$(PY) bench/sweep.py --requests 100000 --database sqlite:///$(CURDIR)/instance/bench-sweep.sqlite
	$(PY) bench/packet.py
	@bash scripts/ensure-tesseract.sh
	$(PY) bench/records.py

clean:
	rm -rf $(VENV) *.egg-info test-output
