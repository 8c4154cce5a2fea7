# One command runs the bot, one runs the tests; both set up .venv themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench migrate catalogs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## set up and run the bot
	$(PY) -m bot run

test: $(STAMP)  ## set up, lint, type-check, check the architecture and run the whole test suite
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

bench: $(STAMP)  ## set up and run the benchmarks: a table of ratios and bench/results.json
	$(PY) -m bench.run

migrate: $(STAMP)
	$(PY) -m bot migrate

catalogs: $(STAMP)  ## extract strings into the template and merge into es/en/ja/de (then translate)
	$(PY) -m bot.catalogs

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
