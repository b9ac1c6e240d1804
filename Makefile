# Place Leaders: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := LEADERS_CONFIG=development $(BIN)/flask --app leaders
ASSETS := leaders/static/govuk
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev assets browser db seed lint format bench clean audit

run: install assets db seed ## Set up everything on SQLite and serve on http://127.0.0.1:5000, with the mail queue's worker
	$(FLASK) worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev assets browser ## Lint, check formatting and run the tests (the browser tests need the built assets and a Chromium)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# GOV.UK Frontend, compiled with our settings (no GDS Transport font) and our own styles.
$(ASSETS)/app.css: node_modules/.package-lock.json leaders/assets/app.scss
	mkdir -p $(ASSETS)
	npx sass --load-path=node_modules --style=compressed --no-source-map leaders/assets/app.scss $@
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(ASSETS)/
	rm -rf $(ASSETS)/images && cp -r node_modules/govuk-frontend/dist/govuk/assets/images $(ASSETS)/images

assets: $(ASSETS)/app.css

browser: install-dev ## A Chromium for the browser tests: the system's, Debian's package (as root), or Playwright's download
	scripts/ensure-chromium $(BIN)/playwright

db: install ## Build or upgrade the SQLite schema, and load the place registry
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) places load

seed: install
	$(FLASK) seed-demo

audit: install-dev ## Check installed packages for known vulnerabilities (needs the vulnerability service)
	$(BIN)/pip-audit --skip-editable

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev
	for b in bench/[!_]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(ASSETS) instance .pytest_cache .ruff_cache
