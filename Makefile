# The two commands: `make run` serves the web UI on http://127.0.0.1:5000, `make test` runs lint and tests.
# Both create .venv if missing and (re)install only when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench translations screenshots clean

run: $(VENV)/.installed
	$(BIN)/netkit serve

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

bench: $(VENV)/.installed
	$(BIN)/python bench/bench_library.py
	$(BIN)/python bench/bench_history.py
	$(BIN)/python bench/bench_authoring.py
	$(BIN)/python bench/relevance.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_generate.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_network.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_site.py

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Netkit needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

translations: $(VENV)/.installed
	$(BIN)/python -m webui.translations.build

screenshots: $(VENV)/.installed-test
	$(BIN)/python docs/screenshots/take.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
