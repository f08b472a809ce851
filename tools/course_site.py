"""Sphinx extension (``sphinx: local_extensions`` in ``_config.yml``): a site that needs no
other host.

- Before the build, fetch the pinned JavaScript (``tools/vendor.py``) if it is missing, so
  ``jupyter-book build .`` works on its own; ``html_extra_path`` serves it under ``vendor/``.
- Point sphinx-thebe's "Live Code" at the vendored Thebe instead of unpkg.com, and tell
  Thebe not to fetch MathJax 2 from cdnjs (``mathjaxUrl: false``; the page has MathJax 3,
  and the course's outputs hold no LaTeX).
- Give each animation's frame alt text (its figure's caption), and each image a stored widget
  draws a sentence saying what it is.
- Strip the Font Awesome stylesheet that matplotlib's animation player (``to_jshtml``) links
  from a CDN: the theme ships Font Awesome. (The notebooks keep it, for Jupyter and Colab.)
- Label the bibliography the way the text cites ("Mao et al., 2017"), not with alpha
  labels such as "[MLX+17]" that no reader can map back (``bibtex_default_style: course``).
- Drop inline scripts that extensions add twice (sphinx-thebe's ``const THEBE_JS_URL``
  twice on a page is a console error: "Identifier has already been declared").
"""

from __future__ import annotations

import html
import re
from collections import Counter
from string import ascii_lowercase

import vendor
from docutils import nodes
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

THEBE_JS = "vendor/thebe/lib/index.js"  # under the site's root (see tools/vendor.py)
THEBE_URL = re.compile(r'const THEBE_JS_URL = "[^"]*"')
ANIMATION_IMG = re.compile(r'<img id="_anim_img[0-9a-f]*"')
CDN_STYLESHEET = re.compile(r"<link[^>]*href=\"https?://[^\"]*font-awesome[^>]*>\s*", re.IGNORECASE)


class AuthorYearLabels(BaseLabelStyle):
    """ "Goovaerts, 1997", "Kingma and Welling, 2014", "Mao et al., 2017" (a, b, ... when two
    works would share a label)."""

    def format_labels(self, sorted_entries):
        labels = [self._label(e) for e in sorted_entries]
        seen, counts = Counter(), Counter(labels)
        for label in labels:
            if counts[label] > 1:
                seen[label] += 1
                label += ascii_lowercase[seen[label] - 1]
            yield label

    @staticmethod
    def _label(entry) -> str:
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [Text.from_latex(" ".join(p.prelast_names + p.last_names)).render_as("text") for p in people]
        if not names:
            who = entry.fields.get("key", entry.key)
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} and {names[1]}"
        else:
            who = f"{names[0]} et al."
        return f"{who}, {entry.fields.get('year', 'n.d.')}"


class CourseStyle(UnsrtStyle):
    """pybtex's unsrt entries, sorted by author and year, labelled by author and year."""

    default_sorting_style = "author_year_title"
    default_label_style = "course-author-year"


register_plugin("pybtex.style.labels", "course-author-year", AuthorYearLabels)
register_plugin("pybtex.style.formatting", "course", CourseStyle)


def fetch_vendored(app: Sphinx, config) -> None:
    if not vendor.is_current():
        logger.info("course_site: fetching the site's JavaScript (tools/vendor.py)")
        vendor.ensure()


def strip_cdn_stylesheets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Raw HTML outputs (after myst-nb has chosen each output's format) lose CDN stylesheets,
    and an animation's frame gets alt text: its figure's caption."""
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "font-awesome" in text or "_anim_img" in text:
            alt = _animation_alt(node)
            text = ANIMATION_IMG.sub(lambda m, alt=alt: f'{m.group(0)} alt="{alt}"', text)
            node.replace_self(nodes.raw("", CDN_STYLESHEET.sub("", text), format=node.get("format", "html")))


def _animation_alt(node: nodes.Node) -> str:
    """ "Animation: " + the caption of the figure around ``node`` (HTML-escaped)."""
    while node is not None and not isinstance(node, nodes.figure):
        node = node.parent
    captions = list(node.findall(nodes.caption)) if node is not None else []
    what = captions[0].astext() if captions else "frames of a training run"
    return html.escape("Animation (press play): " + " ".join(what.split()), quote=True)


def thebe_without_cdn(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-thebe's page config (a raw node added at doctree-resolved) gains mathjaxUrl: false."""
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if 'type="text/x-thebe-config"' in text and "mathjaxUrl" not in text:
            text = text.replace("requestKernel: true,", "requestKernel: true,\n        mathjaxUrl: false,", 1)
            node.replace_self(nodes.raw("", text, format="html"))


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


#: images that a stored widget draws (an ``interact`` panel's plot) get alt text once rendered
WIDGET_IMAGE_ALT = """(function () {
  const alt = "A figure drawn by the interactive controls above for their stored setting; "
    + "on this page their static twin shows the other settings.";
  function label() {
    document.querySelectorAll(".widget-subarea img:not([alt]), .jupyter-widgets img:not([alt])")
      .forEach(function (img) { img.setAttribute("alt", alt); });
  }
  new MutationObserver(label).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", label);
})();"""


def setup(app: Sphinx) -> dict:
    app.add_js_file(None, body=WIDGET_IMAGE_ALT)
    app.connect("config-inited", fetch_vendored, priority=100)  # before html_extra_path is checked
    app.connect("doctree-resolved", strip_cdn_stylesheets)
    app.connect("doctree-resolved", thebe_without_cdn, priority=900)  # after sphinx-thebe adds it
    app.connect("html-page-context", fix_scripts, priority=900)  # after the extensions add theirs
    return {"parallel_read_safe": True, "parallel_write_safe": True}
