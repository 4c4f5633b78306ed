# xeploai — the commands that set everything up on a fresh machine.
#   make demo   build the environment, make a demo district, run the whole pipeline
#   make test   build the environment (and the real clients the tests use), run every test
# The interpreter .venv is built with: the system's own CPython 3.11+ where it has one with venv
# (Debian's is built with profile-guided and link-time optimization and libpython linked in, as
# python.org's installers are; pyenv builds without them unless asked, and aggregate ran 5-12 %
# slower on such a build), else python3. `make PYTHON=/path/to/python3.12 test` chooses another.
PYTHON ?= $(shell for p in /usr/bin/python3.1[1-9]; do $$p -c 'import ensurepip, venv' 2>/dev/null && found=$$p; done; echo $${found:-python3})
VENV   := .venv
PY     := $(VENV)/bin/python
# the stamp names the interpreter: another one rebuilds .venv from scratch
STAMP  := $(VENV)/.installed-$(subst /,_,$(PYTHON))
DEMO_DIR ?= demo-district

.PHONY: all env sysdeps test demo lint bench clean

all: test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
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
