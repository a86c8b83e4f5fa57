# Siklus Kinerja: `make run` starts a working system on SQLite; `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test install assets migrate translations clean

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

migrate: install
	$(BIN)/flask db upgrade

run: install assets translations migrate
	$(BIN)/flask seed-demo --if-empty
	@echo ""
	@echo "Siklus Kinerja berjalan di http://$(HOST):$(PORT)"
	@$(BIN)/flask demo-logins
	@echo ""
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install assets translations
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) node_modules app/web/static/vendor instance
