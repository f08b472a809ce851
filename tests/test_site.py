"""The built website in a real browser, with the network cut.

Serves ``_build/html`` on 127.0.0.1 and visits every page with Chromium (Debian's
``/usr/bin/chromium``, driven by Playwright from PyPI; ``.ci/run`` installs it). Every
request to another host is blocked and reported; so is any console error, broken image,
untypeset formula, unrendered widget, animation that does not play, or missing launch
button. A full-page screenshot of every page goes to ``_build/screenshots/``.

Needs the built site: ``make book`` (``make test`` builds it before running the tests).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # the network cut: no name but 127.0.0.1 resolves, whatever the page asks for
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
# never in the built HTML: the hosts Jupyter Book, matplotlib and their extensions load from
CDN = re.compile(
    r"cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|unpkg\.com|maxcdn\.bootstrapcdn\.com|"
    r"stackpath\.bootstrapcdn\.com|ajax\.googleapis\.com|fonts\.googleapis\.com|"
    r"fonts\.gstatic\.com|code\.jquery\.com|cdn\.plot\.ly|use\.fontawesome\.com|polyfill\.io"
)
REPO_URL = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].rstrip("/")
TIMEOUT = 30_000  # ms; generous: CI has 2 cores and re-executes the notebooks at the same time


def built_pages() -> list[str]:
    """Every HTML page of the site (not the vendored or theme assets), relative to its root."""
    skip = {"_static", "_sources", "_images", "vendor"}
    return sorted(
        p.relative_to(SITE).as_posix()
        for p in SITE.rglob("*.html")
        if not skip & set(p.relative_to(SITE).parts[:-1])
    )


def is_notebook_page(page: str) -> bool:
    return (SITE / "_sources" / page).with_suffix(".ipynb").is_file()


REPORT: dict[str, dict] = {}  # written to _build/screenshots/report.json


def require_site() -> None:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make book` first (`make test` does)", pytrace=False)


# ----------------------------------------------------------------------------- fixtures


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    require_site()
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    if REPORT:
        SHOTS.mkdir(parents=True, exist_ok=True)
        summary = {
            "pages": len(REPORT),
            "local requests": sum(r["local requests"] for r in REPORT.values()),
            "blocked requests": sum(len(r["blocked"]) for r in REPORT.values()),
            "seconds": round(sum(r["seconds"] for r in REPORT.values()), 1),
        }
        (SHOTS / "report.json").write_text(json.dumps({"summary": summary, "pages": REPORT}, indent=1))


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "(`apt-get install -y chromium`; .ci/run does this) or set CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -r requirements.txt", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Visit:
    """One page in a fresh browser context: what left 127.0.0.1, what the console said."""

    def __init__(self, browser, server: str) -> None:
        self.host = urlsplit(server).netloc
        self.blocked: list[str] = []
        self.local = 0
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("response", self._response)

    def _route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == self.host:
            self.local += 1
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, server):
    v = Visit(browser, server)
    yield v
    v.close()


# ----------------------------------------------------------------------------- checks in the page

IMAGES_DONE = "() => Array.from(document.images).every(i => i.complete)"
BROKEN_IMAGES = """() => Array.from(document.images)
    .filter(i => !(i.complete && i.naturalWidth > 0))
    .map(i => (i.currentSrc || i.src).slice(0, 120) || i.outerHTML.slice(0, 120))"""
UNTYPESET_MATHS = """() => Array.from(document.querySelectorAll('.math'))
    .filter(e => !e.querySelector('mjx-container'))
    .map(e => e.textContent.trim().slice(0, 80))"""
WIDGETS_RENDERED = """() => Array.from(document.querySelectorAll(
        'script[type="application/vnd.jupyter.widget-view+json"]'))
    .every(s => { const d = s.previousElementSibling;
                  return d && d.classList.contains('widget-subarea')
                         && d.querySelector('.jupyter-widgets, .widget-container, .lm-Widget'); })"""
MISSING_ALT = r"""() => Array.from(document.images)
    .filter(i => { const alt = (i.getAttribute('alt') || '').trim();
                   return alt.length < 8 || /^[^ ]*\.(png|svg|jpe?g|gif|webp)$/i.test(alt)
                          || /^(image|figure|img|_images)\b/i.test(alt); })
    .map(i => (i.id || i.currentSrc || i.src || '').slice(0, 80)
              + ' alt=' + JSON.stringify(i.getAttribute('alt')))"""
ANIMATIONS = """() => Array.from(document.querySelectorAll('img[id^="_anim_img"]')).map(i => i.id)"""


def check_page(v: Visit, url: str, page_name: str) -> list[str]:
    """Load ``url`` and return every problem a reader would meet on it."""
    start = time.perf_counter()
    p = v.page
    p.goto(url, wait_until="load")
    html = (SITE / page_name).read_text(encoding="utf-8")
    refresh = re.search(r'http-equiv="refresh" content="\d+;\s*url=([^"]+)"', html, re.I)
    if refresh:  # a redirect (index.html): check the page it leads to
        p.wait_for_url(urljoin(url, refresh.group(1)))
        p.wait_for_load_state("load")
    problems: list[str] = []

    # maths: MathJax has run and every formula holds its typeset form
    if p.locator(".math").count():
        p.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        p.evaluate("() => MathJax.startup.promise")
        if not p.locator("mjx-container").count():
            problems.append("maths not typeset: no MathJax element on the page")
        problems += [f"formula not typeset: {t}" for t in p.evaluate(UNTYPESET_MATHS)]

    # widgets: every stored view is rendered as a widget by the html manager
    n_views = p.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if n_views:
        try:
            p.wait_for_function(WIDGETS_RENDERED)
        except Exception:
            problems.append(f"widgets not rendered ({n_views} stored views)")

    # images: none broken (lazy ones are made eager first)
    p.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    p.wait_for_function(IMAGES_DONE)
    problems += [f"image does not load: {src}" for src in p.evaluate(BROKEN_IMAGES)]
    # accessibility: every image says what it shows (not empty, not a file name)
    problems += [f"image without meaningful alt text: {img}" for img in p.evaluate(MISSING_ALT)]

    # animations: pressing play changes the frame
    for anim_id in p.evaluate(ANIMATIONS):
        key = anim_id.removeprefix("_anim_img")
        img = p.locator(f"#{anim_id}")
        img.scroll_into_view_if_needed()
        before = img.get_attribute("src")
        p.locator(f'button[onclick="anim{key}.play_animation()"]').click()
        try:
            changed = "([id, src]) => document.getElementById(id).src !== src"
            p.wait_for_function(changed, arg=[anim_id, before], timeout=10_000)
        except Exception:
            problems.append(f"animation {key[:8]} does not play")
        p.locator(f'button[onclick="anim{key}.pause_animation()"]').click()

    # header: source and issue links everywhere; launch and .ipynb download on chapters
    if not p.locator(f'a[href="{REPO_URL}"]').count():
        problems.append("no link to the source repository")
    if not p.locator(f'a[href^="{REPO_URL}/issues"]').count():
        problems.append("no link to the issue tracker")
    if is_notebook_page(page_name):
        launch = p.locator(".dropdown-launch-buttons")
        for what, selector in (
            ("Binder", 'a[href^="https://mybinder.org/v2/gh/"]'),
            ("Colab", 'a[href^="https://colab.research.google.com/github/"]'),
            ("Live Code", 'button[onclick*="initThebe"]'),
        ):
            if not launch.locator(selector).count():
                problems.append(f"no {what} launch button")
        ipynb = p.locator('.dropdown-download-buttons a[href$=".ipynb"]')
        if not ipynb.count():
            problems.append("no .ipynb download link")
        else:
            href = ipynb.first.get_attribute("href")
            status = p.request.get(p.evaluate("h => new URL(h, location.href).href", href)).status
            if status != 200:
                problems.append(f".ipynb download {href} answers {status}")

    # screenshot from the top, nothing focused (else sticky headers land mid-page)
    p.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / (page_name.replace("/", "__").removesuffix(".html") + ".png")
    p.screenshot(path=str(shot), full_page=True)

    problems += v.errors
    problems += [f"request left 127.0.0.1: {u}" for u in v.blocked]
    REPORT[page_name] = {
        "local requests": v.local,
        "blocked": list(v.blocked),
        "problems": len(problems),
        "seconds": round(time.perf_counter() - start, 2),
    }
    return problems


# ----------------------------------------------------------------------------- tests

PAGES = built_pages() if SITE.is_dir() else []


@pytest.mark.parametrize("page", PAGES or ["(no built site)"])
def test_page_in_browser(visit, server, page):
    """No console error, no broken image, maths typeset, widgets rendered, animations
    play, launch buttons present, no request off 127.0.0.1."""
    require_site()
    problems = check_page(visit, f"{server}/{page}", page)
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


def test_every_chapter_is_checked():
    require_site()
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    entries = toc.get("chapters", []) + [c for part in toc.get("parts", []) for c in part["chapters"]]
    docs = [toc["root"]] + [c["file"] for c in entries]
    assert len(docs) > 5, "the toc lists the chapters, the appendix and the reference pages"
    missing = [d for d in docs if f"{d}.html" not in PAGES]
    assert not missing, f"in _toc.yml but not in the built site: {missing}"


def test_no_cdn_address_in_built_html():
    require_site()
    found = {}
    for path in SITE.rglob("*.html"):
        if "vendor" in path.relative_to(SITE).parts:
            continue
        hits = sorted(set(CDN.findall(path.read_text(encoding="utf-8"))))
        if hits:
            found[path.relative_to(SITE).as_posix()] = hits
    assert not found, f"CDN addresses in the built HTML: {found}"


def test_search_finds_a_glossary_term(visit, server):
    require_site()
    p = visit.page
    p.goto(f"{server}/search.html?q=discriminator", wait_until="load")
    p.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0")
    assert p.locator("#search-results li").count() >= 3
    assert not visit.errors and not visit.blocked, visit.errors + visit.blocked


def test_live_code_runs_thebe_from_the_site(visit, server):
    """ "Live Code" loads Thebe from the site's vendor/ folder and turns the cells into
    editors; its only request off the site is the one it must make, to mybinder.org for a
    kernel (blocked here, so the launch stops there)."""
    require_site()
    chapters = [p for p in PAGES if is_notebook_page(p)]
    assert chapters, "no notebook pages in the site"
    p = visit.page
    p.goto(f"{server}/{chapters[0]}", wait_until="load")
    url = p.evaluate("() => new URL(THEBE_JS_URL, location.href).href")
    assert url.startswith(server + "/vendor/thebe/"), url
    p.evaluate("() => initThebeSBT()")  # what the button does
    p.wait_for_function("() => window.thebelab && document.querySelectorAll('.CodeMirror').length > 0")
    status = "() => document.querySelector('.thebe-launch-button').innerText"
    p.wait_for_function(f"() => /launching|failed/.test(({status})())")
    assert visit.blocked and all(urlsplit(u).netloc == "mybinder.org" for u in visit.blocked), visit.blocked
    unexpected = [e for e in visit.errors if "mybinder.org" not in e and "ERR_BLOCKED_BY_CLIENT" not in e]
    assert not unexpected, unexpected


def test_the_network_is_cut(visit, server):
    """The harness itself: a request to another host fails and is reported."""
    require_site()
    p = visit.page
    p.goto(f"{server}/{PAGES[0]}", wait_until="load")
    outcome = p.evaluate(
        "() => fetch('https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js')"
        ".then(() => 'loaded', () => 'failed')"
    )
    assert outcome == "failed"
    assert visit.blocked == ["https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"]
