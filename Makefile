# OFeli: the developer loop. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run test fuzz lint bench browser clean deploy-web

# The virtual environment is rebuilt whenever pyproject.toml changes.
$(STAMP): pyproject.toml layers/ofeli/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# axe-core for the accessibility tests (the site itself needs no build step).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

install: $(STAMP) node_modules/.installed

# Browser tests drive Debian's chromium (never a downloaded browser): install it when missing and root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installation de chromium (Debian)…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else \
	    echo "chromium manque : installez le paquet Debian « chromium » (sudo apt-get install chromium)"; exit 1; \
	  fi; \
	fi

run: install
	PORT=$(PORT) $(BIN)/ofeli serve

# Two workers (pytest-xdist), each with its own emulated AWS and served stack; a file's tests stay on one
# worker, in order. PYTEST_WORKERS=0 runs everything in this process.
PYTEST_WORKERS ?= 2

test: install browser
	$(BIN)/cfn-lint template.yaml
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

# schemathesis against its own `ofeli serve`, longer than in `make test`: OFELI_FUZZ_EXAMPLES random cases
# per route and role (14 in `make test`), besides the boundary cases of the coverage phase.
fuzz: install
	OFELI_FUZZ_EXAMPLES=$${OFELI_FUZZ_EXAMPLES:-100} $(BIN)/pytest -q tests/e2e/test_fuzz.py

# mypy's files (the ofeli package, the local stack, every function) are listed in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn-lint template.yaml

bench: install
	@set -e; for f in bench/[!_]*.py; do echo "== $$f"; $(BIN)/python $$f; done

# After `sam build && sam deploy`: publish web/ to the stack's bucket (STACK=the stack name).
deploy-web: install
	$(BIN)/python infra/deploy_web.py --stack $(STACK)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .aws-sam
