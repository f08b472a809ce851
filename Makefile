# The course's two commands (see README.md):
#   make book   install everything pinned, fetch the site's JavaScript (pinned, from npm),
#               then build the website into _build/html/
#   make test   install everything pinned, lint, build the book strictly, then test the
#               package, re-execute every notebook with nbval, and check every page of the
#               built site in Chromium with the network cut (tests/test_site.py)
PYTHON ?= python3
BUILD := jupyter-book build . -W -n --keep-going

.PHONY: install vendor book test outputs notebooks bench clean

install:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt

vendor:  # MathJax, require.js, the widget manager and Thebe, served by the site itself
	$(PYTHON) tools/vendor.py

book: install vendor
	$(BUILD)
	@echo "Open _build/html/index.html in a browser."

test: install vendor
	$(PYTHON) -m ruff check .
	$(BUILD)
	$(PYTHON) -m pytest -n 2 --dist loadfile

notebooks:  # pair each chapter's text source (book/0N_*.md) with its .ipynb; keeps outputs
	$(PYTHON) -m jupytext --sync book/0*.md

outputs: install  # regenerate every notebook's stored outputs
	$(PYTHON) -m gan_utils execute book

bench: install
	$(PYTHON) -m gan_utils bench --tests

clean:
	rm -rf _build runs
