# Everyday commands. A fresh machine needs only `make demo` and `make test`.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCK   := requirements/lock.txt
# Extra pytest arguments: make test PYTEST_ARGS="tests/unit -x"
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv lock lock-upgrade demo test fuzz lint format event-catalog clean bench bench-quick

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv and install the locked versions (requirements/lock.txt), dev tools too

# Reinstalls when the lock or pyproject.toml is newer than the stamp (or .venv is gone). Plain pip:
# every version pinned and its hashes checked, then the project itself without resolving anything.
$(STAMP): $(LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m pip check
	touch $@

# uv resolves once for every Python the project supports (3.11 and newer, each its own markers)
# into uv.lock, keeping the versions it already holds; the exports are what pip installs:
# requirements/lock.txt here and in CI (dev and demo tools), requirements/prod.txt in the image
# (deploy/Dockerfile: runtime and ops). uv itself comes pinned from the lock (the dev extra).
UV_EXPORT := $(VENV)/bin/uv export --quiet --frozen --no-emit-project
lock: venv ## Bring uv.lock and requirements/*.txt in step with pyproject.toml (needs PyPI)
	$(VENV)/bin/uv lock
	$(UV_EXPORT) --extra dev --output-file $(LOCK)
	$(UV_EXPORT) --extra ops --output-file requirements/prod.txt

lock-upgrade: venv ## The same, each dependency moved to its newest release pyproject.toml allows
	$(VENV)/bin/uv lock --upgrade
	$(MAKE) lock

demo: venv ## Run the whole system with demo data (SQLite + Redis) until Ctrl-C
	-scripts/ensure-system-libs  # Pango for the reports' PDFs; as root, else says how
	scripts/demo

# Test processes (pytest-xdist): each test keeps its own databases, Redis keys, ports and stream,
# and each process its own Chromium. TEST_WORKERS=0 runs them in this one process.
TEST_WORKERS ?= 2

test: venv ## Unit, integration (Redis, PostgreSQL, SQLite) and end-to-end tests (Chromium too)
	-scripts/ensure-chromium  # installs Debian's chromium as root; otherwise says how (never skips)
	-scripts/ensure-system-libs  # Pango, DejaVu, poppler-utils for the PDFs; as root, else says how
	$(PY) -m pytest tests/ -n $(TEST_WORKERS) $(PYTEST_ARGS)

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
