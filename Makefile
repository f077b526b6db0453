# The two commands: `make site` and `make test`. `make serve` previews live.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
LOG     := $(VENV)/install.log
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve edit test lint lock bench art audit clean vendor

# Vitrine and the exact versions of its libraries and test tools that requirements.lock names (pyproject.toml
# gives ranges). Pip's hundreds of lines go to a log, whose end is shown only when the installation fails.
$(STAMP): pyproject.toml requirements.lock
	@echo "Installing Vitrine, its libraries and the test tools into .venv/: a minute or two (log: $(LOG))"
	@$(PY) -m venv $(VENV)
	@{ $(BIN)/pip install --upgrade pip && $(BIN)/pip install -c requirements.lock -e '.[test]'; } >$(LOG) 2>&1 \
	  || { tail -n 20 $(LOG); echo "The installation failed: the end of its log is above, the whole log in $(LOG)"; exit 1; }
	@touch $(STAMP)

# `vitrine build`: the strict build in a private folder, swapped into site/ in one step when it
# succeeded: a failed, interrupted or concurrent build never leaves a half-written or missing site/.
site: $(STAMP)
	$(BIN)/vitrine build

serve: $(STAMP)
	$(BIN)/vitrine serve

# The browser editor of the stories, with the live preview beside it (http://127.0.0.1:8008/).
edit: $(STAMP)
	$(BIN)/vitrine edit

test: $(STAMP) node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest

# The test tools (axe-core, the Nu HTML Checker), again whenever package.json changes.
node_modules/.installed: package.json
	npm install --no-audit --no-fund >/dev/null
	touch $@

# The online editor's YAML library (eemeli/yaml), at the exact version tools/vendor_yaml.sh names, bundled into
# vitrine/edit/app/yaml.js with its licence (npm; change the version there to upgrade, then test the editor).
vendor:
	tools/vendor_yaml.sh

# Upgrade: each library's newest release within pyproject.toml's ranges, written into requirements.lock (then
# `make test`, and commit both). A range itself changes in pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file requirements.lock pyproject.toml

# mypy reads its settings (the package vitrine/, the checks) from pyproject.toml's [tool.mypy].
lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/lint-imports --no-cache

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
	rm -rf site .vitrine-build-* .cache
