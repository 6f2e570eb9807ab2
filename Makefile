# Two entry points: `make serve` (the checker on the shipped program, then the dashboard) and
# `make test` (the whole suite). Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install wheelhouse system-deps check serve site test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Wheels of the package and its dependencies, so the pre-commit test installs hooks without a network.
WHEELHOUSE := $(VENV)/wheelhouse
$(WHEELHOUSE)/.built: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --wheel-dir $(WHEELHOUSE) . setuptools wheel
	touch $@

wheelhouse: $(WHEELHOUSE)/.built

# Debian's chromium drives the browser tests; ripgrep is the fast guard engine.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v rg >/dev/null 2>&1 || missing="$$missing ripgrep"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The checker over the shipped program (offline: the main job never leaves this machine).
check: install
	-$(BIN)/gates check --offline
	$(BIN)/gates status --offline

site: install
	$(BIN)/mkdocs build --strict --site-dir site

serve: check
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check checks tests bench
	$(BIN)/ruff format --check checks tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: install wheelhouse system-deps lint
	GATES_WHEELHOUSE=$(abspath $(WHEELHOUSE)) PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -q

bench: install system-deps
	$(BIN)/python bench/guard_scan.py
	$(BIN)/python bench/evidence_urls.py
	$(BIN)/python bench/dashboard_build.py

clean:
	rm -rf $(VENV) site .gates-cache .pytest_cache .mypy_cache .ruff_cache
