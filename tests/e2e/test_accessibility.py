"""axe-core on every page a manager or a workshop participant sees, on a desktop and on a phone: 0 violations.

The rules are WCAG 2.0/2.1/2.2 A and AA and axe's best practices (``tests/e2e/axe.py``). The pages are
filled as a real visitor would see them: the results come from the bundled sample assessment, imported
through the import page, so they show risks, the funnel against benchmarks and the roadmap; the error states
are made by sending what the app rejects. The English pages are checked on the results page, where the most
words are. One server (the session's), one browser, one page per viewport reused from test to test: about
25 s in all.

The invitations are the workshop participant's way in (the join page for the short link / QR code, the
respondent's questionnaire page and the thanks page) and a manager's team link, whose colleague answers the
same respondent pages; the manager's team page and final-answers page are checked with one colleague's answers.
The consultant's projected pages (live screen, presentation mode) need a signed-in consultant, so they have
their own test rather than a line in PAGES (whose pages are first visits, without cookies).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assessment import resources
from tests.e2e.axe import CONTEXT_OPTIONS, assert_accessible
from tests.e2e.conftest import Account, Server
from tests.e2e.http import Browserless
from tests.e2e.test_concurrent_respondents import answer_everything, new_round, signed_in
from tests.e2e.test_live_screen_browser import round_page

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SAMPLE = resources.sample_path().read_text(encoding="utf-8")


@dataclass(frozen=True)
class Site:
    """What the pages under test are reached through: a self-assessment with the sample's answers, and a
    workshop round with one respondent."""

    url: str
    token: str
    join_code: str
    respondent: str
    colleague: str  # a team link of the self-assessment (the manager's invitation), answered on one page
    closed_code: str  # the join code of a round the consultant has closed


def import_sample(page: Page, server: Server, company: str = "") -> str:
    """Import the sample (under another company name when given) through the import page; its token."""
    text = SAMPLE.replace("株式会社サンプル", company) if company else SAMPLE
    page.goto(server.url + "/import")
    page.locator("#file").set_input_files(
        {"name": "sample.yaml", "mimeType": "text/yaml", "buffer": text.encode("utf-8")}
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/a/[\w-]{20,64}/review\?imported=1$"))
    return page.url.rsplit("/", 2)[-2]


@pytest.fixture(scope="module")
def site(server: Server, browser: Browser, consultant: Account) -> Site:
    context = browser.new_context()
    token = import_sample(context.new_page(), server)
    context.close()
    manager = signed_in(server, consultant)
    _, code = new_round(manager, "アクセシビリティ株式会社")
    visitor = Browserless(server.url)
    join = visitor.get(f"/j/{code}")
    reply = visitor.post(f"/j/{code}", {"csrf_token": join.csrf(), "department": "marketing", "name": "佐藤"})
    assert reply.status == 200 and "/r/" in reply.url, (reply.status, reply.url)
    respondent = reply.url.split("/r/", 1)[1].split("/", 1)[0]
    colleague = _team_link(server, token)
    closed_id, closed_code = new_round(manager, "締切済みアクセシビリティ株式会社")
    dashboard = manager.get(f"/engagements/{closed_id}")
    assert manager.post(f"/engagements/{closed_id}/close", {"csrf_token": dashboard.csrf()}).status == 200
    return Site(server.url, token, code, respondent, colleague, closed_code)


def _team_link(server: Server, token: str) -> str:
    """Invite a field sales colleague from the team page and have them answer the organisation page."""
    manager = Browserless(server.url)
    team = manager.get(f"/a/{token}/team")
    reply = manager.post(
        f"/a/{token}/team/links",
        {"csrf_token": team.csrf(), "department": "field_sales", "name": "田中", "days": "14"},
    )
    found = re.search(r"/r/([\w-]{20,64})", reply.text)
    assert reply.status == 200 and found, (reply.status, reply.text[:300])
    colleague = Browserless(server.url)
    first = colleague.get(f"/r/{found.group(1)}/checklist-organization")
    answers = re.findall(r'name="(checklist__[\w]+)" value="no"', first.text)
    assert answers, first.text[:300]
    done = colleague.post(
        f"/r/{found.group(1)}/checklist-organization",
        [("csrf_token", first.csrf()), ("action", "next"), *[(name, "no") for name in answers]],
    )
    assert done.status == 200, done.status
    return found.group(1)


@pytest.fixture(scope="module")
def tabs(browser: Browser) -> Iterator[dict[str, Page]]:
    """One page per viewport for the whole module, in a context that lets axe's script past the app's CSP
    (reusing the page lets Chromium keep axe compiled: a third of the time per page)."""
    contexts: list[BrowserContext] = []
    pages: dict[str, Page] = {}
    for name, options in VIEWPORTS.items():
        contexts.append(browser.new_context(**options, **CONTEXT_OPTIONS))
        pages[name] = contexts[-1].new_page()
    yield pages
    for context in contexts:
        context.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, tabs: dict[str, Page]) -> Page:
    """The viewport's page, as a first visit: no cookies (no language chosen, no session) from the test before."""
    shown = tabs[request.param]
    shown.context.clear_cookies()
    return shown


def opened(page: Page, url: str, status: int = 200) -> Page:
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    return page


# Pages reached with a GET: (name, path under the site's URL, the status it answers with).
Where = Callable[[Site], str]
PAGES: dict[str, tuple[Where, int]] = {
    "landing": (lambda s: "/", 200),
    "funnel": (lambda s: f"/a/{s.token}/funnel", 200),
    "checklist": (lambda s: f"/a/{s.token}/checklist-organization", 200),
    "review": (lambda s: f"/a/{s.token}/review", 200),
    "results": (lambda s: f"/a/{s.token}/results", 200),
    "results-en": (lambda s: f"/a/{s.token}/results?lang=en", 200),
    "import": (lambda s: "/import", 200),
    "not-found": (lambda s: "/no-such-page", 404),
    "join": (lambda s: f"/j/{s.join_code}", 200),
    "join-by-code": (lambda s: "/join", 200),
    "join-by-code-wrong": (lambda s: "/j?code=zzzz-9999", 422),
    "respondent": (lambda s: f"/r/{s.respondent}/checklist-organization", 200),
    "respondent-done": (lambda s: f"/r/{s.respondent}/done", 200),
    "respondent-department": (lambda s: f"/r/{s.respondent}/department", 200),
    "login": (lambda s: "/login", 200),
    "forgot-password": (lambda s: "/account/forgot", 200),
    "reset-link-unknown": (lambda s: "/account/reset/" + "A" * 43, 404),
    "review-after-import": (lambda s: f"/a/{s.token}/review?imported=1", 200),
    "team": (lambda s: f"/a/{s.token}/team", 200),
    "team-final-answers": (lambda s: f"/a/{s.token}/team/final", 200),
    "invitation": (lambda s: f"/r/{s.colleague}/checklist-organization", 200),
    "round-closed": (lambda s: f"/j/{s.closed_code}", 410),
}


def test_pdf_waiting_page_has_no_violations(site: Site, server: Server, browser: Browser) -> None:
    """The "preparing your PDF" page, at both sizes. It is the first test so that the render it starts in the
    background overlaps the others; one page, resized, because a second request could find the PDF ready."""
    helper = browser.new_context()
    token = import_sample(helper.new_page(), server, f"待機ページ株式会社 {uuid.uuid4().hex[:8]}")
    helper.close()
    context = browser.new_context(**VIEWPORTS["desktop"], **CONTEXT_OPTIONS)
    try:
        page = opened(context.new_page(), f"{site.url}/a/{token}/report.pdf?lang=ja", 202)
        expect(page.locator("[data-pdf-status]")).to_be_visible()
        assert_accessible(page, "PDF waiting page (desktop)")
        page.set_viewport_size(VIEWPORTS["phone"]["viewport"])
        assert_accessible(page, "PDF waiting page (phone)")
    finally:
        context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_violations(site: Site, page: Page, name: str) -> None:
    path, status = PAGES[name]
    opened(page, site.url + path(site), status)
    if name.startswith("results"):  # the results must show what there is to check: risks, funnel, roadmap
        expect(page.locator("main details.risk").first).to_be_attached()
        expect(page.locator("main table.benchmarks")).to_be_attached()
        expect(page.locator("main ol.tasks li").first).to_be_attached()
        expect(page.locator("main .chart.scroll-x svg")).to_be_attached()
    if name == "results-en":
        expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, name)


def test_validation_error_has_no_violations(site: Site, page: Page) -> None:
    """The profile page after a rejected figure: error summary, invalid field and its message."""
    opened(page, site.url + "/")
    page.locator("main form[action$='/start'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile$"))
    page.locator("#client__employees-input").fill("-5")
    page.locator("main form button[type=submit][name=action][value=next]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "profile with an error")


def test_import_error_has_no_violations(site: Site, page: Page) -> None:
    """The import page listing the problems of a file the loader rejects."""
    opened(page, site.url + "/import")
    page.locator("#file").set_input_files({"name": "bad.yaml", "mimeType": "text/yaml", "buffer": b"client: 3\n"})
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "import with problems")


@pytest.mark.parametrize("path", ["live", "present", "discussion", "consensus"])
def test_projected_pages_have_no_violations(server: Server, browser: Browser, consultant: Account, path: str) -> None:
    """The live screen, its presentation mode and the consensus discussion, signed in, on a 1920×1080 projector
    (and the consensus page they are set beside): a round with three marketers and three inside sales people, so
    each department's answers are there to check (revealed)."""
    desk = round_page(server, browser, consultant, **CONTEXT_OPTIONS)
    try:
        found = re.search(r"/j/([a-z0-9-]+)", desk.content())  # the round's page shows its join link
        assert found, desk.url
        for number in (0, 6, 12, 1, 7, 13):
            answer_everything(server, found.group(1), number)
        desk.set_viewport_size({"width": 1920, "height": 1080})
        screen = opened(desk, f"{desk.url}/{path}")
        if path == "present":
            screen.locator("#reveal").click()
            expect(screen.locator("#slide-1 .dept-dist li")).to_have_count(2)
        elif path == "live":
            screen.locator("#by-dept").check()
        elif path == "discussion":
            expect(screen.locator(".slide:visible .slide-spread li[data-department]")).to_have_count(2)
        else:
            expect(screen.locator(".by-dept .spread").first).to_be_visible()
        assert_accessible(screen, f"{path} (projector)")
    finally:
        desk.context.close()
