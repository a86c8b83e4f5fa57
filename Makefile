# Siklus Kinerja: `make run` starts a working system on SQLite; `make test` runs the whole suite
# (on every core, one database per pytest-xdist worker); `make test-fast` leaves out the slow tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test test-fast lint install assets migrate translations catalog clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

app/web/static/vendor/.built: package.json scripts/build-assets.mjs
	npm install --no-audit --no-fund --silent
	npm run --silent build
	touch $@

assets: app/web/static/vendor/.built

translations: install
	$(BIN)/pybabel compile -d app/translations -f --statistics

# Extract every marked string and merge it into the catalogs; then translate the new entries.
catalog: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o app/translations/messages.pot \
		--ignore-dirs=".* ._ node_modules instance" --no-location --sort-output .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching \
		--ignore-obsolete

migrate: install
	$(BIN)/flask db upgrade

run: install assets translations migrate
	$(BIN)/flask seed-demo --if-empty
	@echo ""
	@echo "Siklus Kinerja berjalan di http://$(HOST):$(PORT)"
	@$(BIN)/flask demo-logins
	@echo ""
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# The layers and the style are checked before the suite runs (pyproject.toml holds both configurations).
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .

test: install assets translations lint
	$(BIN)/python -m pytest -n auto

# Without the tests that start real rq workers or Chromium (marked `slow`); CI runs `make test`.
test-fast: install assets translations lint
	$(BIN)/python -m pytest -n auto -m "not slow"

clean:
	rm -rf $(VENV) node_modules app/web/static/vendor instance
