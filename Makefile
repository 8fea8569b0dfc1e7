# groupsim — two commands on a fresh machine: `make demo`, then `make test`.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
# The first Python >= 3.12 on PATH, else one pyenv holds.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
             command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: demo test bench venv clean example-report

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: no Python >= 3.12 found (PATH or pyenv); set PYTHON=/path/to/python3.12"; exit 1; }
	@echo "using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(VENV)/.installed

demo: venv
	$(PY) -m sim.demo

test: venv
	$(PY) -m pytest

# The README's example experiment report, English then Chinese from the same fresh runs
# (the second call reuses the runs and only rewrites the report and figures).
EXAMPLE := hard_sell_vs_feelings
example-report: venv
	GROUPSIM_LANG=en $(VENV)/bin/groupsim-experiment $(EXAMPLE) --fresh --out results/experiments
	rm -rf docs/example_report && mkdir -p docs/example_report/zh
	cp results/experiments/$(EXAMPLE)/{report.md,*.png,*.csv} docs/example_report/
	GROUPSIM_LANG=zh $(VENV)/bin/groupsim-experiment $(EXAMPLE) --out results/experiments
	cp results/experiments/$(EXAMPLE)/{report.md,*.png} docs/example_report/zh/

bench: venv
	$(PY) benchmarks/bench_model.py

clean:
	rm -rf $(VENV) results/runs results/demo
