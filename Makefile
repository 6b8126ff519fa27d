# ahamirror: the two commands a newcomer needs are `make serve` and `make test`.
# Every target installs what is missing first, so a fresh clone needs no manual step.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
INSTALL_STAMP := $(VENV)/.installed
EXTRAS := test,docs,wasm,browser
NPM_STAMP := node_modules/.package-lock.json
# Material 9.8 prints an end-of-life banner on every build; it is known (see README), not news.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: install chromium lint test test-fast bench site deploy-site serve clean
CHROMIUM := $(or $(AHAMIRROR_CHROMIUM),/usr/bin/chromium)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

install: $(INSTALL_STAMP) $(NPM_STAMP)

# Re-runs only when the pins change; `pip install` itself is idempotent.
$(INSTALL_STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || "$$(tools/find-python.sh)" -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip==25.3
	$(PIP) install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	@touch $@

# npm ci installs exactly package-lock.json (the pinned Pyodide runtime).
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work here).
# AHAMIRROR_CHROMIUM names another Chromium-based browser that is already installed.
chromium:
	@test -x "$(CHROMIUM)" || { \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Lint and types: ruff and mypy, configured in pyproject.toml.
lint: install
	$(VENV)/bin/ruff check
	$(VENV)/bin/ruff format --check --quiet
	$(VENV)/bin/mypy

test: lint chromium
	$(PY) -m pytest

# The fast loop: lint, then everything except the browser suite.
test-fast: lint
	$(PY) -m pytest -m "not browser"

# Build into site/. `python -m mkdocs` keeps the project root on sys.path for the macros package.
site: install
	$(PY) -m mkdocs build --clean --site-dir site

# What the deploy workflow runs: SITE_URL is required (canonical links, previews, _headers paths).
deploy-site: install
	AHAMIRROR_DEPLOY=1 $(PY) -m mkdocs build --clean --strict --site-dir site

serve: site
	$(PY) tools/serve.py --dir site --port 8000

# Site benchmarks (build, calculator start, recalculation, bytes, Lighthouse, engine): prints a
# table and writes bench/results.json (not committed). About 16 minutes; see bench/__init__.py.
bench: install chromium
	$(PY) -m bench

clean:
	rm -rf site build dist *.egg-info .pytest_cache .hypothesis
