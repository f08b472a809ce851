# The course's two commands (see README.md):
#   make book   install everything pinned, fetch the site's JavaScript (pinned, from npm),
#               then build the website into _build/html/
#   make test   install everything pinned, lint, build the book strictly, then test the
#               package, re-execute every notebook and compare its stored outputs (nbval),
#               check every page of the built site in Chromium with the network cut, and run
#               every chapter in JupyterLab as a student would, after changing its seeds and a
#               slider (tests/student_edits/): Run All, save, reopen; no cell may raise, no
#               widget error may show; the text's claims only print notes
#   make student  that last part alone
#
# Where they install: into the virtual environment that is active (VIRTUAL_ENV set, or
# $(PYTHON) is a venv's own Python), else into the project's own .venv/, created with
# $(PYTHON) on first use. A fresh machine's Python often refuses installs outside a virtual
# environment (PEP 668, "externally-managed-environment"); .venv/ works everywhere.
# USE_VENV=0 installs into $(PYTHON) as it is (e.g. an active conda environment).
# The install step runs again only when requirements*.txt or pyproject.toml change (stamp).
PYTHON ?= python3
VENV := .venv
IN_VENV := $(if $(VIRTUAL_ENV),1,$(shell $(PYTHON) -c 'import sys; print(int(sys.prefix != sys.base_prefix))' 2>/dev/null))
USE_VENV ?= $(if $(filter 1,$(IN_VENV)),0,1)
ifeq ($(USE_VENV),1)
PY := $(VENV)/bin/python
# the tools the recipes call (jupyter-book, ruff, the notebooks' kernels) come from .venv/
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(VENV))/bin:$(PATH)
else
PY := $(PYTHON)
endif
ENV_PREFIX := $(if $(filter 1,$(USE_VENV)),$(VENV),$(shell $(PYTHON) -c 'import sys; print(sys.prefix)'))
STAMP := $(ENV_PREFIX)/.gan_utils-requirements.stamp
REQUIREMENTS := requirements.txt requirements/student.txt requirements/dev.txt pyproject.toml
BUILD := jupyter-book build . -W -n --keep-going

.PHONY: install vendor book test student outputs notebooks bench clean fork

install: $(STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(REQUIREMENTS) | $(if $(filter 1,$(USE_VENV)),$(VENV)/bin/python)
	@# the requirements name PyTorch's CPU index; where its host does not resolve (a network that
	@# reaches PyPI only), pip would retry it for every package: ask it once instead
	@if ! getent hosts download.pytorch.org > /dev/null 2>&1 && [ -z "$${PIP_RETRIES:-}" ]; then \
	    echo "PyTorch's CPU index does not resolve here: pip will not retry it (PIP_RETRIES=0)"; \
	    export PIP_RETRIES=0; fi; \
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

vendor:  # MathJax, require.js, the widget manager and Thebe, served by the site itself
	$(PY) tools/vendor.py

book: install vendor
	$(BUILD)
	@echo "Open _build/html/index.html in a browser."

test: install vendor
	$(PY) -m ruff check .
	$(PY) -m ruff format --check --exclude book .
	lint-imports  # pyproject.toml [tool.importlinter]: the library never imports the lab
	$(BUILD)
	$(PY) -m pytest -n 2 --dist loadgroup

student: install
	$(PY) -m pytest -n 2 --dist loadgroup -m student tests/test_jupyterlab.py

notebooks: install  # pair each page's text source (book/0N_*.md, book/evidence/*.md) with its .ipynb; keeps outputs
	$(PY) -m jupytext --sync book/0*.md book/evidence/0*.md

outputs: install  # regenerate every notebook's stored outputs
	$(PY) -m gan_utils execute book

bench: install
	$(PY) -m gan_utils bench --tests

fork:  # point the course at another repository: make fork URL=https://github.com/you/your-fork
	@test -n "$(URL)" || { echo "usage: make fork URL=https://github.com/OWNER/REPOSITORY"; exit 2; }
	$(PYTHON) tools/set_repository.py "$(URL)"

clean:
	rm -rf _build runs
