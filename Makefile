# Facilitator: `make run` to serve, `make test` to run every test. Both work from a fresh clone.
#
# Targets that do the set-up are real files (the virtualenv, a stamp written after pip
# install, npm's own record of what it installed, the copied browser client), so a second
# `make setup` does nothing unless pyproject.toml or the npm lock file changed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.facilitator-installed
# npm ci writes this file last, so it only exists once node_modules is complete.
NPM_STAMP := node_modules/.package-lock.json
CLIENT_DIST := node_modules/socket.io-client/dist
VENDOR := static/vendor
VENDOR_JS := $(VENDOR)/socket.io.esm.min.js

HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
export HOST PORT
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup db run test fuzz clean two-workers bench screenshots

help:
	@echo "make run    set up, apply migrations, serve on http://$(HOST):$(PORT)/ (HOST/PORT configurable)"
	@echo "make test   set up and run the whole test suite (CI=true: missing services fail)"
	@echo "make fuzz   a longer fuzzing run of the socket events and the REST API (FUZZ_EXAMPLES, default 500)"
	@echo "make setup  create .venv, install Python and npm dependencies, copy the browser client"
	@echo "make db     apply database migrations"
	@echo "make two-workers  two gunicorn processes on ports 5001 and 5002 sharing local Redis and PostgreSQL"
	@echo "make bench  load benchmark, a few minutes (BENCH_ARGS=--quick: about one); report in bench/results/"
	@echo "make screenshots  run the whole-session browser test and keep its pictures in docs/screenshots/"
	@echo "make clean  remove .venv, node_modules, static/vendor and caches (keeps instance/)"

setup: $(PY_STAMP) $(VENDOR_JS)

$(BIN)/python:
	@echo "==> Creating the virtualenv in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(PY_STAMP): pyproject.toml | $(BIN)/python
	@echo "==> Installing Python dependencies into $(VENV)"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to fetch the socket.io browser client (apt-get install npm)" >&2; exit 1; }
	@echo "==> Installing the browser client from the npm registry"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR_JS): $(NPM_STAMP)
	@mkdir -p $(VENDOR)
	cp $(CLIENT_DIST)/socket.io.esm.min.js $@
	@if [ -f $(CLIENT_DIST)/socket.io.esm.min.js.map ]; then \
		cp $(CLIENT_DIST)/socket.io.esm.min.js.map $@.map; fi

# eventlet's "deprecated" notice is known (see DESIGN.md); it is noise when migrating.
db: setup
	@PYTHONWARNINGS=ignore::Warning:engineio.async_drivers.eventlet $(BIN)/flask --app facilitator db upgrade

run: setup db
	@exec $(BIN)/python -m facilitator.serve

# Scale-out on one machine: see deploy/two-workers.sh for the variables (PG_URL, REDIS_URL, PORT_A, PORT_B).
two-workers: setup
	@exec bash deploy/two-workers.sh

# The benchmark's own packages (aiohttp for the load generator, py-spy for --profile).
BENCH_STAMP := $(VENV)/.facilitator-bench-installed
BENCH_ARGS ?=
$(BENCH_STAMP): pyproject.toml | $(PY_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

bench: setup $(BENCH_STAMP)
	@$(BIN)/python -m bench.run $(BENCH_ARGS)

# pytest exits 5 when it collected nothing; that must never pass as a green run.
test: setup
	@status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
	exit $$status

# The fuzz tests run in `make test` with few examples; this runs them with many more.
FUZZ_EXAMPLES ?= 500
fuzz: setup
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/sockets/test_fuzz.py tests/web/test_api_fuzz.py

# The README's pictures come from the whole-session browser test, so they show what really runs.
screenshots: setup
	SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q tests/e2e/test_full_session.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .hypothesis test-results *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
