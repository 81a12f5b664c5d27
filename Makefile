# `make run` and `make test` work on a fresh clone: both create .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The main job on the bundled rules: what falls due in the week after a
# date inside the bundled plans.
run: $(STAMP)
	$(BIN)/deadlines due --rules rules --today 2015-07-08 --next-week

# The suite includes the packaging check (tests/wheel_check.py, started in the
# background when the suite starts): the wheel is built, installed into a
# fresh venv with its declared dependencies only, and run from there.
test: $(STAMP)
	$(BIN)/python -m pytest

# Regenerate the reviewed readings of the phrase cases; review the diff.
golden: $(STAMP)
	$(BIN)/python tests/phrases/regen.py

$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $(VENV)/.bench

bench: $(VENV)/.bench
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .hypothesis
