# `make run` and `make test` work on a fresh clone: both create .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench bench-scale golden fixtures office libical node browser messages catalogs corpus-baseline clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The message catalogs: .po (committed, translated by hand) → .mo (built).
# The editable install compiles them too; this keeps them current when a
# .po changes afterwards.  The wheel's build compiles its own (setup.py).
CATALOGS_PO := $(wildcard src/deadlines/locale/*/LC_MESSAGES/deadlines.po)
CATALOGS_MO := $(CATALOGS_PO:.po=.mo)
catalogs: $(CATALOGS_MO)
src/deadlines/locale/%/LC_MESSAGES/deadlines.mo: src/deadlines/locale/%/LC_MESSAGES/deadlines.po $(STAMP)
	$(BIN)/pybabel compile --domain deadlines --directory src/deadlines/locale --locale $* --statistics

# Extract every msgid (the package, the CLI's help, click's own messages)
# into locale/deadlines.pot and merge it into each .po; then translate the
# new entries (tests/test_messages.py fails until every msgid has one).
messages: $(STAMP)
	$(BIN)/python tools/messages.py extract

# The main job on the bundled rules: what falls due in the week after a
# date inside the bundled plans.
run: $(STAMP) catalogs
	$(BIN)/deadlines due --rules rules --today 2015-07-08 --next-week

# The suite includes the packaging check (tests/wheel_check.py, started in the
# background when the suite starts): the wheel is built, installed into a
# fresh venv with its declared dependencies only, and run from there.
test: $(STAMP) catalogs office libical node browser
	$(BIN)/python -m pytest

# $(call need,NAME,CHECK,PACKAGES): Debian's PACKAGES installed unless CHECK (a shell command)
# succeeds; only as root with apt, else the command to run is named.  CI runs as root on a fresh
# machine, so the suite's system parts are installed where they are missing, once.
define need
$(2) >/dev/null 2>&1 || { \
  if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
    echo "$(1) is missing: run (as root) apt-get install $(3)"; exit 1; fi; \
  echo "installing $(1): $(3)"; \
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(3) >/dev/null; }
endef

# LibreOffice from Debian's packages: `deadlines import` reads .doc, .wps, .et,
# .odt and .ods through it, and the tests import such files.  Installed once,
# where it is missing (CI runs as root on a fresh machine).
OFFICE_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui
office:
	@$(call need,LibreOffice,command -v soffice,$(OFFICE_PACKAGES))

# Chromium from Debian's packages: tests/test_page.py drives it with
# playwright (the pip package; its own browser download is not used) to look
# at the site's page at desktop and phone width.
BROWSER_PACKAGES := chromium fonts-noto-cjk
browser:
	@$(call need,Chromium,command -v chromium,$(BROWSER_PACKAGES))

# Node and npm run ical.js, one of the calendar libraries the tests read every
# feed with (tests/js, its versions fixed by package-lock.json): Debian's
# packages, installed once where missing, then `npm ci` from the lockfile.
NODE_PACKAGES := nodejs npm
node:
	@$(call need,Node,{ command -v node && command -v npm; },$(NODE_PACKAGES))
	@[ -d tests/js/node_modules/ical.js ] || (cd tests/js && npm ci --no-audit --no-fund --silent)

# libical (the parser of Evolution and GNOME Calendar) reads the feeds in the
# tests through GObject introspection: Debian's python3-gi and gir1.2-ical-3.0,
# installed once where missing, as LibreOffice is.  PyGObject is not taken
# from PyPI (it builds against the system's GLib and libgirepository): the
# venv imports the system's `gi`, and only it, through a folder holding a
# link to it, named in a .pth file.
ICAL_PACKAGES := python3-gi gir1.2-ical-3.0
SYSTEM_PYTHON ?= /usr/bin/python3
GI_DIR := $(CURDIR)/$(VENV)/system-gi
ICAL_CHECK := $(SYSTEM_PYTHON) -c "import gi; gi.require_version('ICalGLib', '3.0')"
libical: $(STAMP)
	@$(call need,libical (PyGObject),$(ICAL_CHECK),$(ICAL_PACKAGES))
	@mkdir -p $(GI_DIR)
	@ln -sfn "$$($(SYSTEM_PYTHON) -c 'import gi, os; print(os.path.dirname(gi.__file__))')" $(GI_DIR)/gi
	@echo "$(GI_DIR)" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/system-gi.pth"
	@$(BIN)/python -c "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib" || { \
	  echo "the venv's Python cannot load the system's PyGObject: make the venv with $(SYSTEM_PYTHON) (PYTHON=$(SYSTEM_PYTHON))"; exit 1; }

# Regenerate the office-format fixtures with LibreOffice (a CJK font for the
# PDFs); review the diff.
fixtures: $(STAMP) office
	@fc-list 2>/dev/null | grep -q "Noto.*CJK" || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null
	$(BIN)/python tests/fixtures/office/make.py

# Raise tests/corpus/baseline.json to today's corpus scores; review the diff.
corpus-baseline: $(STAMP)
	$(BIN)/python tests/test_corpus.py

# Regenerate the reviewed readings of the phrase cases; review the diff.
golden: $(STAMP)
	$(BIN)/python tests/phrases/regen.py

$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $(VENV)/.bench

# Every benchmark; the province at 50,000 obligations (its targets).  bench-scale:
# the province at 50,000 and 100,000 obligations (the 2.1x rows).  Figures and
# how to read them: bench/README.md.
bench: $(VENV)/.bench
	BENCH_SIZES=50000 $(BIN)/python bench/run.py

bench-scale: $(VENV)/.bench
	BENCH_SIZES=50000,100000 $(BIN)/python bench/run.py province

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .hypothesis
