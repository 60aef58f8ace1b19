"""Accessibility of every page kind, checked by axe-core in headless Chromium, light and dark.

axe-core (the engine behind Lighthouse's accessibility audit) runs its WCAG 2.x A/AA rules,
colour contrast included, on the built project catalog. Any violation fails, with the rule,
its impact and the offending elements.
"""

from __future__ import annotations

import pytest

from tests.builds import built
from tests.test_browser import ARGS, Server, _require_chromium
from tests.tools import axe_js

PAGES = ["index.html", "models/meta/llama-3.3-70b-instruct/index.html", "providers/meta/index.html",
         "pricing/index.html", "compare/index.html?models=meta/llama-3.3-70b-instruct,openai/gpt-4.1",
         "leaderboard/index.html", "docs/quickstart/index.html"]
# (404.html is left out: its <base href> is the deployed site's URL, so its stylesheet
# loads from there, not from the local server)


@pytest.fixture(scope="module")
def site():
    root = built("project")
    server = Server(root)
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(browser, site, scheme):
    script = axe_js()
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    try:
        for path in PAGES:
            page.goto(site.url(path))
            page.add_script_tag(content=script)
            result = page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
            }""")
            for v in result:
                problems.append(f"{path} [{scheme}]: {v['id']} ({v['impact']}): {v['nodes']}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
