"""The round page's respondent list in Chromium: a revoked (or expired) link's badge is readable.

The badge used to have no background of its own (``.badge`` without a modifier): white text on the white
page. Each badge variant is measured as Chromium draws it (computed colours, the background the badge sits
on when its own is transparent), and axe-core checks the page with a revoked respondent on it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import CONTEXT_OPTIONS, assert_accessible
from tests.e2e.conftest import Account, Server
from tests.e2e.test_live_screen_browser import join, round_page

VARIANTS = ("", "closed", "high", "medium", "low", "path", "unconfirmed")  # every .badge modifier in app.css

# The WCAG contrast ratio of an element's text against the first opaque background at or behind it.
CONTRAST = """(el) => {
  const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  let node = el, background = [255, 255, 255];
  while (node && node.nodeType === 1) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) { background = c.slice(0, 3); break; }
    node = node.parentElement;
  }
  const [a, b] = [luminance(rgba(getComputedStyle(el).color)), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def revoke_first(page: Page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())  # "Close this link?"
    page.locator("table.respondents tbody tr").first.get_by_role("button", name="無効化", exact=True).click()
    page.wait_for_load_state()


def test_a_revoked_respondents_badge_is_readable(server: Server, browser: Browser, consultant: Account) -> None:
    page = round_page(server, browser, consultant, **CONTEXT_OPTIONS)
    try:
        found = re.search(r"/j/([a-z0-9]+)", page.content())
        assert found, page.url
        code = found.group(1)
        join(server, code, "marketing")
        page.reload()
        revoke_first(page)
        badge = page.locator("table.respondents .badge")
        expect(badge).to_have_text("無効化済み")
        ratio = badge.evaluate(CONTRAST)
        assert ratio >= 4.5, f"the revoked badge's text has a contrast of {ratio:.2f}:1"
        assert_accessible(page, "the round page with a revoked respondent")

        for variant in VARIANTS:  # every variant, drawn on this page as the app's CSS colours it
            ratio = page.evaluate(
                f"""() => {{ const b = document.createElement("span"); b.className = "badge {variant}";
                b.textContent = "x"; document.querySelector("main").append(b);
                const ratio = ({CONTRAST})(b); b.remove(); return ratio; }}"""
            )
            assert ratio >= 4.5, f".badge.{variant or '(no modifier)'}: contrast {ratio:.2f}:1"
    finally:
        page.context.close()
