# netsafe: two commands do everything on a fresh machine.
#   make run   set up, build the warehouse (demo data when empty), check it, serve the dashboard
#   make test  set up, lint, build into a temporary data dir, run every test
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
NETSAFE := $(VENV)/bin/netsafe
UV_VERSION := 0.13.9
PY_DIRS := $(wildcard netsafe tests dashboards bench dbt_score_rules)

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup system-deps run build demo check status serve test lint fmt bench clean

help:
	@echo "make run    - build the warehouse with demo data and serve the dashboard"
	@echo "make test   - every check: ruff, sqlfluff, dbt build, pytest"
	@echo "make setup  - create or update .venv from requirements.lock"
	@echo "make bench  - benchmarks (bench/results/)"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml Makefile
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	# bytecode compiled once here: PYTHONDONTWRITEBYTECODE (below) keeps the
	# tree clean, and without .pyc files every dbt or netsafe start would
	# compile its imports again (about 1.5 s of each dbt start)
	$(VENV)/bin/uv pip install -q --python $(PY) --compile-bytecode -r requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	@touch $(STAMP)

# Debian packages the tests and the report renderer need (chromium,
# LibreOffice, fonts, poppler, PostgreSQL); installs only what is missing.
system-deps:
	@bash scripts/system-deps.sh

run: setup
	$(NETSAFE) build --demo-if-empty
	$(NETSAFE) status
	-$(NETSAFE) check
	$(NETSAFE) serve

build: setup
	$(NETSAFE) build

demo: setup
	$(NETSAFE) demo

status: setup
	$(NETSAFE) status

serve: setup
	$(NETSAFE) serve

lint: setup
	$(VENV)/bin/ruff check $(PY_DIRS)
	$(VENV)/bin/ruff format --check $(PY_DIRS)
	$(VENV)/bin/sqlfluff lint models tests/dbt
	@# dbt metadata conventions (dbt_score_rules/, [tool.dbt-score] in pyproject.toml)
	$(VENV)/bin/dbt-score lint --run-dbt-parse --show failing-items

fmt: setup
	$(VENV)/bin/ruff format $(PY_DIRS)
	$(VENV)/bin/ruff check --fix $(PY_DIRS)

test: setup system-deps lint
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  echo "dbt build with demo data into $$tmp" && \
	  NETSAFE_DATA_DIR=$$tmp $(NETSAFE) build --demo-if-empty && \
	  NETSAFE_DATA_DIR=$$tmp $(NETSAFE) status
	$(VENV)/bin/pytest -q

bench: setup
	$(PY) -m bench.run

clean:
	rm -rf target logs .pytest_cache .ruff_cache
