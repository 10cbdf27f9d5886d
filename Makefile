# MPP queue: developer entry points. Works on a fresh Debian/Ubuntu machine.
#
#   make demo     the whole hall on this machine (needs only python3 + make; see DEMO_ARGS)
#   make test     system packages + venv + ruff + the whole pytest suite (what CI runs)
#   make test-faults  the fault suite alone (MPP_FAULTS_LONG=1: the issue's long figures)
#   make lint     ruff + mypy
#   make bench    benchmarks (not tests)
#   make clean    remove the venv and caches

PYTHON     ?= python3
VENV       ?= .venv
EXTRAS     ?= dev,postgres,hardware,gui
DEMO_ARGS  ?=
PYTEST_ARGS ?=

BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv system-deps test test-faults lint demo bench clean

help:
	@sed -n 's/^#   //p' $(MAKEFILE_LIST)

# The venv is (re)installed when missing or when pyproject.toml changed since the last install.
venv: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x "$(BIN)/python" ]; then \
	    if ! command -v $(PYTHON) >/dev/null 2>&1; then \
	        echo "error: $(PYTHON) not found. Install Python 3.11+: sudo apt-get install python3 python3-venv"; \
	        exit 1; \
	    fi; \
	    if ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
	        echo "error: Python 3.11 or newer is needed, $(PYTHON) is $$($(PYTHON) -V 2>&1)"; \
	        exit 1; \
	    fi; \
	    if ! $(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1; then \
	        echo "error: $(PYTHON) cannot create virtualenvs (venv/ensurepip missing)."; \
	        echo "       On Debian/Ubuntu: sudo apt-get install python3-venv"; \
	        echo "       (or: bash scripts/install-system-deps.sh)"; \
	        exit 1; \
	    fi; \
	    echo "[venv] creating $(VENV)"; \
	    $(PYTHON) -m venv $(VENV); \
	fi
	@echo "[venv] installing -e .[$(EXTRAS)]"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e ".[$(EXTRAS)]"
	@touch $@

system-deps:
	bash scripts/install-system-deps.sh

test: system-deps venv
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

test-faults: system-deps venv
	$(BIN)/pytest -s tests/faults $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy

demo: venv
	$(BIN)/mpp demo $(DEMO_ARGS)

bench: venv
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
