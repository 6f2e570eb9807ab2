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
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip install --quiet -e '.[test]'
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
# Findings do not stop the dashboard: the verdict is what `make serve` is for. `gates check` exits 1
# when the program has errors; that is reported in its last line, not as a make error. Info findings
# (a hundred or more undocumented endpoints) are hidden here: `gates status` counts them, the dashboard lists them.
check: install
	@$(BIN)/gates check --offline --quiet || true
	@$(BIN)/gates status --offline

# Material prints a notice about MkDocs 2 on every start; the site is pinned to MkDocs 1.x.
export NO_MKDOCS_2_WARNING := 1

site: install
	$(BIN)/mkdocs build --strict --site-dir site

serve: check
	@echo "gates: dashboard at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	@$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check checks tests bench
	$(BIN)/ruff format --check checks tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: install wheelhouse system-deps lint
	GATES_WHEELHOUSE=$(abspath $(WHEELHOUSE)) PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -q
	@echo "gates: dashboard screenshots (390 px and 1440 px) are in test-artifacts/screenshots/"

# Every speed bar, side by side with its peer (minutes, not seconds): each script prints min/median
# ratios and exits 1 when its bar is missed; all run, and the target fails when any missed its bar.
BENCHES := guard_scan evidence_urls history dashboard_build check_latency load_bar
bench: install system-deps
	@failed=""; for b in $(BENCHES); do echo "== bench/$$b.py"; \
		$(BIN)/python bench/$$b.py || failed="$$failed $$b"; done; \
	if [ -n "$$failed" ]; then echo "bars missed:$$failed"; exit 1; fi

# Mutation testing of the modules that decide the verdict: not part of `make test` or CI (minutes, not
# seconds). mutmut 3 copies checks/ into mutants/ (scratch space, recreated on every run), and the target
# fails when a module kills fewer than MUTATE_MIN percent of its mutants. docs/guide/mutation.md explains it.
MUTATE_MIN ?= 90
.PHONY: mutate
mutate: install
	$(BIN)/python -m pip install --quiet -e '.[test,mutate]'
	rm -rf mutants
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/mutmut run
	@$(BIN)/mutmut results --all true | sort | awk -F': ' -v min=$(MUTATE_MIN) ' \
		{ m = $$1; sub(/^[ \t]+/, "", m); sub(/\.x[^.]*__mutmut_[0-9]+$$/, "", m); \
		  if (!(m in total)) order[++n] = m; total[m]++; \
		  if ($$2 == "killed" || $$2 == "timeout") killed[m]++; else if ($$2 == "survived") survived[m]++ } \
		END { printf "\n%-28s %8s %8s %8s %8s\n", "module", "killed", "survived", "total", "score"; bad = 0; \
		  for (i = 1; i <= n; i++) { m = order[i]; score = 100 * killed[m] / total[m]; \
		    printf "%-28s %8d %8d %8d %7.1f%%\n", m, killed[m], survived[m], total[m], score; if (score < min) bad = 1 } \
		  if (bad) print "a module is under " min "% killed: see mutmut results / mutmut show NAME"; exit bad }'

clean:
	rm -rf $(VENV) site mutants .gates-cache .pytest_cache .mypy_cache .ruff_cache
