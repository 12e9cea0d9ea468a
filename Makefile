# Everyday commands. A fresh machine needs only `make demo` and `make test`.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Extra pytest arguments: make test PYTEST_ARGS="tests/unit -x"
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv demo test fuzz lint format event-catalog clean bench bench-quick

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv and install the project with its dev tools

# Reinstalls only when pyproject.toml is newer than the stamp (or .venv is gone).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

demo: venv ## Run the whole system with demo data (SQLite + Redis) until Ctrl-C
	-scripts/ensure-system-libs  # Pango for the reports' PDFs; as root, else says how
	scripts/demo

test: venv ## Unit, integration (Redis, PostgreSQL, SQLite) and end-to-end tests (Chromium too)
	-scripts/ensure-chromium  # installs Debian's chromium as root; otherwise says how (never skips)
	-scripts/ensure-system-libs  # Pango, DejaVu, poppler-utils for the PDFs; as root, else says how
	$(PY) -m pytest tests/ $(PYTEST_ARGS)

# PostgreSQL, as in production (about 20 minutes); FUZZ_DB=sqlite, or FUZZ_DB="sqlite or postgres".
FUZZ_DB ?= postgres
fuzz: venv ## Schemathesis, 50 valid + 50 invalid examples per operation, every check, every service
	$(PY) -m pytest tests/integration --fuzz -k "$(FUZZ_DB)" -p no:cacheprovider -s -q $(PYTEST_ARGS)

bench: venv ## Every figure of issue 15 beside its bare baseline, one table + bench/results/latest.json
	$(PY) -m bench

bench-quick: venv ## A reduced bench run, SQLite only (under 3 minutes)
	$(PY) -m bench --quick

lint: venv ## ruff check, ruff format --check and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: venv ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

event-catalog: venv ## Rewrite the event catalog table in README.md
	$(PY) scripts/event_catalog.py --write README.md

clean: ## Remove the demo's data (var/) and the caches; keeps .venv
	rm -rf var .pytest_cache .ruff_cache .mypy_cache test-artifacts
