# Evidence Desk: `make run` starts the desk on the demo case, `make test` checks everything.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint typecheck pytest demo clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/evidence-desk gui $(CASE)

demo: $(STAMP_RUN)
	$(BIN)/evidence-desk demo --replace

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

pytest: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

screenshots: $(STAMP_RUN)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# Benchmarks (docs/performance.md). `make bench-case` builds the 100,000-incident case
# once (about 10 minutes, ~3 GB); `make bench` measures it (~15 minutes);
# `make bench QUICK=1` measures every figure on a tiny generated case in under a minute.
BENCH_CASE      ?= build/bench/case-100k.evcase
BENCH_INCIDENTS ?= 100000

.PHONY: bench bench-case

bench-case: $(STAMP_RUN)
	mkdir -p $(dir $(BENCH_CASE))
	$(BIN)/python benchmarks/make_case.py $(BENCH_CASE) --incidents $(BENCH_INCIDENTS) --replace

bench: $(STAMP_RUN)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py $(if $(QUICK),--quick,--case $(BENCH_CASE))
