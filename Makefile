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

.PHONY: install chromium test test-fast bench site serve clean

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
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install chromium
	$(PY) -m pytest

# The fast loop: everything except the browser suite.
test-fast: install
	$(PY) -m pytest -m "not browser"

# Build into site/. `python -m mkdocs` keeps the project root on sys.path for the macros package.
site: install
	$(PY) -m mkdocs build --clean --site-dir site

serve: site
	$(PY) tools/serve.py --dir site --port 8000

# Site benchmarks (build, calculator start, recalculation, bytes, Lighthouse, engine): prints a
# table and writes bench/results.json (not committed). About 15 minutes; see bench/__init__.py.
bench: install chromium
	$(PY) -m bench

clean:
	rm -rf site build dist *.egg-info .pytest_cache .hypothesis
