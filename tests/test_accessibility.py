"""Accessibility of every page kind, checked by axe-core in headless Chromium, light and dark,
on a phone (390 px) and a laptop (1280 px).

axe-core (the engine behind Lighthouse's accessibility audit) runs its WCAG 2.x A/AA rules,
colour contrast included, and its best practices (unique landmarks, among others) on the built
project catalog. Any violation fails, with the rule, its impact and the offending elements.
"""

from __future__ import annotations

import pytest

from tests.builds import built
from tests.test_browser import ARGS, _require_chromium
from tests.test_layout import PAGES as LAYOUT_PAGES
from tests.test_layout import VIEWS, Host
from tests.tools import axe_js

# every page kind, the 404 page as a static host serves it (at a missing URL)
PAGES = list(LAYOUT_PAGES.values())


@pytest.fixture(scope="module")
def site():
    root = built("project")
    server = Host(root)
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield b
        b.close()


TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_axe_finds_no_violations(browser, site, width, scheme):
    script = axe_js()
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = []
    try:
        for path in PAGES:
            page.goto(site.url(path))
            page.add_script_tag(content=script)
            result = page.evaluate("""async (tags) => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
            }""", TAGS)
            for v in result:
                problems.append(f"{path} [{width}px {scheme}]: {v['id']} ({v['impact']}): {v['nodes']}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
