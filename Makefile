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
	$(BIN)/python bench/bench_wordimport.py
	$(BIN)/python bench/bench_network.py
	$(BIN)/python bench/bench_overview.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_site.py
	$(BIN)/python bench/bench_signin.py
	$(BIN)/python bench/bench_backup.py
	$(BIN)/python bench/bench_cli.py
	$(BIN)/python bench/bench_snippets.py

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

# The web UI's catalogues: the .po files are the source of the translations (edit them in Poedit, Weblate or an
# editor); this extracts the Danish texts from the code (babel.cfg), updates both catalogues and compiles them.
# No locations, sorted, no POT header, a fixed POT-Creation-Date in the .po: running it twice changes nothing.
# da is the source language (its msgstrs stay empty); only en gets fuzzy suggestions for changed texts.
POT := webui/translations/messages.pot
translations: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header -w 120 -o $(POT) .
	$(BIN)/pybabel -q update -i $(POT) -d webui/translations -l da -N --ignore-obsolete --ignore-pot-creation-date -w 120
	$(BIN)/pybabel -q update -i $(POT) -d webui/translations -l en --ignore-obsolete --ignore-pot-creation-date -w 120
	$(BIN)/pybabel compile -d webui/translations --statistics

screenshots: $(VENV)/.installed-test
	$(BIN)/python docs/screenshots/take.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
