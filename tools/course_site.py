"""Sphinx extension (``sphinx: local_extensions`` in ``_config.yml``): a site that needs no
other host.

- Before the build, fetch the pinned JavaScript (``tools/vendor.py``) if it is missing, so
  ``jupyter-book build .`` works on its own; ``html_extra_path`` serves it under ``vendor/``.
- Point sphinx-thebe's "Live Code" at the vendored Thebe instead of unpkg.com.
- Strip the Font Awesome stylesheet that matplotlib's animation player (``to_jshtml``) links
  from a CDN: the theme ships Font Awesome. (The notebooks keep it, for Jupyter and Colab.)
- Drop inline scripts that extensions add twice (sphinx-thebe's ``const THEBE_JS_URL``
  twice on a page is a console error: "Identifier has already been declared").
"""

from __future__ import annotations

import re

import vendor
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

THEBE_JS = "vendor/thebe/lib/index.js"  # under the site's root (see tools/vendor.py)
THEBE_URL = re.compile(r'const THEBE_JS_URL = "[^"]*"')
CDN_STYLESHEET = re.compile(r"<link[^>]*href=\"https?://[^\"]*font-awesome[^>]*>\s*", re.IGNORECASE)


def fetch_vendored(app: Sphinx, config) -> None:
    if not vendor.is_current():
        logger.info("course_site: fetching the site's JavaScript (tools/vendor.py)")
        vendor.ensure()


def strip_cdn_stylesheets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Raw HTML outputs (after myst-nb has chosen each output's format) lose CDN stylesheets."""
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "font-awesome" in text:
            node.replace_self(nodes.raw("", CDN_STYLESHEET.sub("", text), format=node.get("format", "html")))


def fix_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    from sphinx.builders.html._assets import _JavaScript

    thebe = context["pathto"](THEBE_JS, 1)
    seen, kept = set(), []
    for js in scripts:
        body = js.attributes.get("body", "") if isinstance(js, _JavaScript) else ""
        if "THEBE_JS_URL" in body:
            attrs = dict(js.attributes, body=THEBE_URL.sub(f'const THEBE_JS_URL = "{thebe}"', body))
            js = _JavaScript(js.filename, priority=js.priority, **attrs)
        # an inline script's filename is None or "", depending on who added it
        key = (str(js.filename or ""), body) if isinstance(js, _JavaScript) else (str(js), "")
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    context["script_files"] = kept


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", fetch_vendored, priority=100)  # before html_extra_path is checked
    app.connect("doctree-resolved", strip_cdn_stylesheets)
    app.connect("html-page-context", fix_scripts, priority=900)  # after the extensions add theirs
    return {"parallel_read_safe": True, "parallel_write_safe": True}
