# Two commands do all set-up on a fresh machine:
#   make demo   - create .venv, install CPU torch + the project, run the pipeline on the sample bulletin
#   make test   - the same set-up, then the whole test suite (what CI runs)
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
OUT     ?= out
JOBS    ?= 2

.PHONY: setup demo test test-fast check bench clean browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# the pinned CPU build of torch first (an unpinned torch would pull a multi-GB CUDA build)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[test,ray]"
	# byte-compile the package as a wheel install would (an editable install is compiled at import)
	$(BIN)/python -m compileall -q src >/dev/null
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the editors'-page end-to-end test (skipped where it cannot be installed)
browser:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
	    || echo "warning: could not install chromium; the browser test will be skipped"; }

demo: setup
	@mkdir -p $(OUT)
	$(BIN)/jianbao info
	$(BIN)/jianbao process data/examples/sample-bulletin.md -o $(OUT)/sample-bulletin.json
	$(BIN)/jianbao show $(OUT)/sample-bulletin.json

test: setup browser
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile

test-fast: setup
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile -m "not slow"

# the acceptance checks in ../shared (seed targets and public benchmarks)
check: setup
	../shared/checks/run
bench: setup
	../shared/checks/bench

clean:
	rm -rf $(OUT) .pytest_cache build dist src/*.egg-info
