# The two commands: `make run` (set up and serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint bench worker beat messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.stamp-base: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-base
	$(BIN)/pip install -q -e ".[test]"
	touch $@

run: $(VENV)/.stamp-base
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.stamp-test
	$(BIN)/ruff check .
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check .

bench: $(VENV)/.stamp-test
	$(PY) -m bench

worker: $(VENV)/.stamp-base
	$(BIN)/celery -A channelhub worker -l info --concurrency 2

beat: $(VENV)/.stamp-base
	$(BIN)/celery -A channelhub beat -l info

messages: $(VENV)/.stamp-base
	$(PY) manage.py collect_vendor_strings
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
