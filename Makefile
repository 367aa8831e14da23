# collab-eval: a plain task runner. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: help compile demo test bench lint format clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Byte-compiled once here, as pip does for a regular install: an editable install is compiled
# on import, and never kept where PYTHONDONTWRITEBYTECODE is set (CI), which costs every
# command ~0.2 s of compiling. Only changed modules are compiled again.
compile: $(STAMP)
	@$(BIN)/python -m compileall -q pipeline

demo: compile ## set up and run the whole pipeline on the bundled example partnership
	$(BIN)/collab-eval run --project .

test: $(STAMP) ## set up and run every test (installs Debian's chromium for the browser tests)
	@./scripts/ensure-chromium
	$(BIN)/python -m pytest

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) ## benchmark N = 1k..1M respondents (not in test; ~6 min once cached; BENCH_ARGS=--quick)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

lint: $(STAMP) ## check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## remove the outputs of the example run (not the raw data)
	find data/processed reports -mindepth 1 -maxdepth 1 ! -name .gitkeep ! -name bench -exec rm -rf {} +
