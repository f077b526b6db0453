# The two commands: `make site` and `make test`. `make serve` previews live.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint bench art audit clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Build into a fresh folder and swap it in only when the build succeeded:
# a failed build never leaves a half-written site/ for the static host.
site: $(STAMP)
	rm -rf .site-new
	$(BIN)/mkdocs build --strict --site-dir .site-new
	rm -rf .site-old; [ ! -d site ] || mv site .site-old
	mv .site-new site; rm -rf .site-old
	@echo "Site built in site/"

serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

test: $(STAMP) node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/pytest

# The test tools (axe-core, the Nu HTML Checker), again whenever package.json changes.
node_modules/.installed: package.json
	npm install --no-audit --no-fund >/dev/null
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/images.py
	$(BIN)/python bench/build.py

# Lighthouse, the Nu HTML Checker and page weights over the built site/ (installs its
# tools into .cache/audit/ and Java if missing; a few minutes; not part of `make test`).
audit: site
	$(BIN)/python tools/audit.py

art: $(STAMP)
	$(BIN)/python tools/demo_art.py

clean:
	rm -rf site .site-new .site-old .cache
