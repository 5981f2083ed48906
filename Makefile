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

.PHONY: help setup db run test clean

help:
	@echo "make run    set up, apply migrations, serve on http://$(HOST):$(PORT)/ (HOST/PORT configurable)"
	@echo "make test   set up and run the whole test suite (CI=true: missing services fail)"
	@echo "make setup  create .venv, install Python and npm dependencies, copy the browser client"
	@echo "make db     apply database migrations"
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

# pytest exits 5 when it collected nothing; that must never pass as a green run.
test: setup
	@status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
	exit $$status

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .hypothesis test-results *.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
