"""The workshop review's layout and live-screen defects, in Chromium against the live server: at 1366 px the round
page's respondent table breaks no button, counter or name mid-word (「コピ/ー」「無効/化」「20 / / 20」「田中/美咲」),
the handout keeps 「チェックリスト」 on one line, and the live screen shows 締め切りました with no join code once the
round is closed while it polls."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, expect

from tests.e2e.conftest import Account, Server, Snap
from tests.e2e.test_live_screen_browser import join, live_screen, polled, round_page

# How many lines the element's text takes as Chromium draws it (one rectangle per line box of the text).
LINES = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  return tops.size;
}"""

# Where a run of words is broken across lines: the text of each line of the element, in order.
LINE_TEXTS = """(el) => {
  const lines = new Map();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      const top = Math.round(rect.top);
      lines.set(top, (lines.get(top) || "") + node.data[i]);
    }
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}"""


def one_line_each(found: Locator, what: str) -> None:
    """Every element ``found`` is drawn on a single line."""
    assert found.count() > 0, what
    for index in range(found.count()):
        element = found.nth(index)
        if not element.is_visible():
            continue
        lines = element.evaluate(LINES)
        assert lines == 1, f"{what}: {element.inner_text()!r} takes {lines} lines"


def test_the_respondent_table_at_1366_px_breaks_no_button_counter_or_name(
    server: Server, browser: Browser, consultant: Account, snap: Snap
) -> None:
    desk = round_page(server, browser, consultant)
    try:
        found = re.search(r"/j/([a-z0-9]+)", desk.content())
        assert found
        for department, name in (("marketing", "田中美咲"), ("field_sales", "佐藤健一郎"), ("customer_success", "")):
            desk.locator("#department").select_option(department)
            desk.locator("#name").fill(name)
            desk.locator("main form button[type=submit].primary", has_text="リンクを作成").click()
            desk.wait_for_load_state()
        join(server, found.group(1), "inside_sales")
        desk.goto(desk.url.split("#")[0])
        table = desk.locator("table.respondents")
        expect(table.locator("tbody tr")).to_have_count(4)
        # one revoked link shows its 再開する button
        desk.once("dialog", lambda dialog: dialog.accept())
        table.locator("tbody tr").first.get_by_role("button", name="無効化", exact=True).click()
        desk.wait_for_load_state()
        table = desk.locator("table.respondents")
        expect(table.get_by_role("button", name="再開する", exact=True)).to_have_count(1)
        snap(desk, "round-page-1366")

        one_line_each(table.locator("button"), "a button")
        one_line_each(table.locator("td.count"), "an answered counter")
        one_line_each(table.locator("td.name"), "a name")
        one_line_each(table.locator(".badge"), "a badge")
        for name in ("田中美咲", "佐藤健一郎"):
            assert table.get_by_text(name, exact=True).evaluate(LINES) == 1
        # the table scrolls inside its box instead of squeezing the columns or spilling off the page
        box = desk.locator(".table-scroll").first.bounding_box()
        viewport = desk.viewport_size
        assert box and viewport and box["x"] + box["width"] <= viewport["width"]
    finally:
        desk.context.close()


def test_the_handout_keeps_its_key_terms_whole(
    server: Server, browser: Browser, consultant: Account, snap: Snap
) -> None:
    desk = round_page(server, browser, consultant)
    try:
        for width in (1366, 800, 420):
            desk.set_viewport_size({"width": width, "height": 900})
            desk.goto(desk.url.split("/handout")[0] + "/handout?lang=ja")
            lead = desk.locator(".handout-lead")
            expect(lead).to_contain_text("チェックリスト")
            lines = lead.evaluate(LINE_TEXTS)
            assert any("チェックリスト" in line for line in lines), (width, lines)
            snap(desk, f"handout-{width}")
    finally:
        desk.context.close()


def test_the_live_screen_says_closed_and_hides_the_join_code_when_the_round_closes_while_it_polls(
    server: Server, browser: Browser, consultant: Account, snap: Snap
) -> None:
    desk = round_page(server, browser, consultant)
    try:
        screen, code = live_screen(desk)
        expect(screen.locator(".join-code strong")).to_have_text(code)
        expect(screen.locator("#round-closed")).to_be_hidden()
        join(server, code, "marketing")
        desk.once("dialog", lambda dialog: dialog.accept())  # "Close this round?"
        desk.get_by_role("button", name="ラウンドを締め切る").click()
        desk.wait_for_load_state()
        expect(desk.locator("#links-closed")).to_be_visible()  # the round page says so, with no join control
        expect(desk.get_by_role("button", name="参加リンクを締め切る")).to_have_count(0)
        snap(desk, "round-page-closed")
        polled(screen)
        expect(screen.locator("#round-closed")).to_be_visible()
        expect(screen.locator("#round-closed")).to_contain_text("締め切りました")
        expect(screen.locator(".qr svg")).to_be_hidden()
        expect(screen.locator(".join-code")).to_be_hidden()
        expect(screen.locator("#join-closed")).to_be_hidden()
        snap(screen, "live-closed")
        screen.reload()  # opened while closed: no QR code or join code is sent at all
        expect(screen.locator("#round-closed")).to_be_visible()
        assert screen.locator(".qr svg").count() == 0 and code not in screen.content()
    finally:
        desk.context.close()
