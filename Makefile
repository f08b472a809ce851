# The course's two commands (see README.md):
#   make book   install everything pinned, then build the website into _build/html/
#   make test   install everything pinned, then lint, test the package, re-execute every
#               notebook with nbval, and build the book strictly
PYTHON ?= python3
BUILD := jupyter-book build . -W -n --keep-going

.PHONY: install book test outputs bench clean

install:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt

book: install
	$(BUILD)
	@echo "Open _build/html/index.html in a browser."

test: install
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pytest -n 2 --dist loadfile
	$(BUILD)

outputs: install  # regenerate every notebook's stored outputs
	$(PYTHON) -m gan_utils execute book

bench: install
	$(PYTHON) -m gan_utils bench --tests

clean:
	rm -rf _build runs
