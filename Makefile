# Two commands on a fresh machine with Python 3.11 and make:
#   make run    set everything up and start the platform on the embedded default
#   make test   run the whole suite (lint, architecture contracts, tests)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lock bench clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/brain setup
	$(BIN)/brain serve

# Two workers or more (pytest-xdist): each has its own databases, Temporal dev server and ports.
test: $(STAMP)
	$(BIN)/pytest --numprocesses=auto --maxprocesses=4 $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform linux -o requirements.lock -q

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
