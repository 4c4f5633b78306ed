# xeploai — the commands that set everything up on a fresh machine.
#   make demo   build the environment, make a demo district, run the whole pipeline
#   make test   build the environment (and the real clients the tests use), run every test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO_DIR ?= demo-district

.PHONY: all env sysdeps test demo lint bench clean

all: test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

env: $(STAMP)

# LibreOffice (opens the workbooks we write) and Chromium (renders the HTML report) are
# real clients the test suite drives; they come from Debian's packages.
sysdeps:
	bash scripts/install-system-deps.sh

test: env sysdeps
	$(PY) -m pytest -q

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

demo: env
	rm -rf $(DEMO_DIR)
	$(VENV)/bin/xeploai demo $(DEMO_DIR)

bench: env
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache $(DEMO_DIR)
