"""The self-service diagnosis in a real browser: Debian's headless Chromium driven by Playwright.

One visitor goes from the landing page to the results in Japanese, trips over a validation error on
the way, answers one question with the keyboard, comes back through the private link in a fresh
browser and downloads the proposal PDF. A phone-sized visitor checks that nothing scrolls sideways.

Expected words come from the content files (``questionnaires/*.yaml``), not from the translation
catalogue, so the assertions hold whether or not a template string has been translated yet.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdf
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Response, expect

from assessment import diagnose, parse_assessment
from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.roadmap.calendar import next_monday
from assessment.vocabulary import ANSWERS
from tests.e2e.conftest import Server, Snap

COMPANY = "株式会社テスト"
DEPARTMENTS = {
    "marketing": "dedicated",
    "inside_sales": "shared",
    "field_sales": "dedicated",
    "customer_success": "none",
}
TOOLS = {"ma": "in_use", "sfa": "planned"}
FUNNEL = {
    "leads": "800", "mqls": "120", "sqls": "40", "opportunities": "35", "wins": "6",
    "average_deal_size": "1200000", "lead_response_hours": "30", "monthly_revenue_target": "30000000",
}  # fmt: skip
COMMENTED_ITEM = "org.mql_definition"
KEYBOARD_ITEM = "org.marketing_owner"  # answered with Tab + arrow keys: two steps down from "yes" is "no"
PHONE = {"width": 390, "height": 844}
PDF_TIMEOUT_MS = 120_000

OVERFLOW_JS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


def name(path: str) -> str:
    """The form field name of a document path (see ``assessment.web.forms.field_name``)."""
    return path.replace(".", "__")


def chosen_answers(content: Content) -> dict[str, str]:
    """An answer for every checklist item, cycling through all four answers."""
    answers = {item.id: ANSWERS[index % len(ANSWERS)] for index, item in enumerate(content.checklist.items)}
    answers[KEYBOARD_ITEM] = "no"
    return answers


def track_problems(page: Page) -> list[str]:
    """Collect what went wrong in ``page``: script errors, console errors (CSP violations show up there) and
    error responses. The browser's own /favicon.ico probe is left out: the app has no icon."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    def on_response(response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.request.method} {response.url} -> {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.on("response", on_response)
    return problems


def next_button(page: Page) -> Locator:
    """The form's primary submit ("save and continue"), found by what it is rather than its words."""
    return page.locator("main form button[type=submit][name=action][value=next]")


def click_choice(group: Locator, label: str) -> None:
    """Answer a radio group by clicking the visible label text, then check the radio took it."""
    group.locator("label.choice").get_by_text(label, exact=True).click()
    expect(group.get_by_role("radio", name=label, exact=True)).to_be_checked()


def click_value(group: Locator, value: str) -> None:
    """Answer a radio group by clicking the label that holds the radio with ``value``."""
    label = group.locator("label.choice").filter(has=group.page.locator(f"input[type=radio][value='{value}']"))
    label.click()
    expect(group.locator(f"input[type=radio][value='{value}']")).to_be_checked()


def assert_fits_width(page: Page, what: str) -> None:
    scroll_width, inner_width = page.evaluate(OVERFLOW_JS)
    assert scroll_width <= inner_width, f"{what} scrolls sideways: {scroll_width}px content in {inner_width}px"


def test_diagnosis_in_japanese_from_landing_to_pdf(
    server: Server, browser: Browser, content: Content, snap: Snap
) -> None:
    answers = chosen_answers(content)
    comment = f"営業とマーケでMQLの定義がそろっていない（e2e {uuid.uuid4().hex[:8]}）"  # unique: no cached PDF
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems = track_problems(page)

    # Landing, in Japanese by default.
    page.goto(server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    snap(page, "01-landing")
    page.locator("main form[action$='/start'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/a/[\w-]{20,64}/profile$"))
    token = page.url.rsplit("/", 2)[-2]

    # Company and organisation: one invalid figure first.
    expect(page.locator("h1")).to_have_text("会社と体制")
    page.locator(f"#{name('client.name')}-input").fill(COMPANY)
    page.locator(f"#{name('client.employees')}-input").fill("-5")
    page.locator(f"#{name('client.industry')}-input").fill("SaaS")
    for department in content.survey.departments:
        group = page.get_by_role("group", name=department.title.ja)
        click_choice(group, content.survey.staffing_labels[DEPARTMENTS[department.id]].ja)
    for tool_id, status in TOOLS.items():
        click_value(page.locator(f"fieldset#{name('survey.tools.' + tool_id)}"), status)
    page.locator(f"#{name('survey.tools.ma_product')}-input").fill("HubSpot")
    click_value(page.locator(f"fieldset#{name('survey.tools.spreadsheet')}"), "true")
    next_button(page).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary.locator(f"a[href='#{name('client.employees')}']")).to_contain_text("従業員数")
    employees = page.locator(f"#{name('client.employees')}-input")
    expect(employees).to_have_attribute("aria-invalid", "true")
    expect(employees).to_have_value("-5")  # what was typed is kept, not thrown away
    expect(page.locator(f"#{name('client.name')}-input")).to_have_value(COMPANY)
    expect(page.locator(f"#{name('client.employees')}-error")).to_be_visible()
    snap(page, "02-profile-error")
    assert problems == [f"POST {server.url}/a/{token}/profile -> 422"], problems  # the page with the error
    problems.clear()
    employees.fill("150")
    next_button(page).click()

    # Monthly funnel figures.
    page.wait_for_url(re.compile(r"/funnel$"))
    for figure_id, value in FUNNEL.items():
        page.locator(f"#{name('survey.funnel.' + figure_id)}-input").fill(value)
    snap(page, "03-funnel")
    next_button(page).click()

    # One page per checklist axis, with the statements from checklist.yaml.
    for number, axis in enumerate(content.checklist.axes, start=1):
        page.wait_for_url(re.compile(rf"/checklist-{axis.id}$"))
        expect(page.locator("h1")).to_have_text(axis.title.ja)
        for item in (i for i in content.checklist.items if i.axis == axis.id):
            group = page.get_by_role("group", name=item.text.ja)
            expect(group).to_be_visible()
            if item.id == KEYBOARD_ITEM:
                continue
            click_choice(group, content.checklist.answer_labels[answers[item.id]].ja)
            if item.id == COMMENTED_ITEM:  # the comment box opens on demand
                page.locator(f"details.comment:has(#{name('comments.' + item.id)}-input) > summary").click()
                page.locator(f"#{name('comments.' + item.id)}-input").fill(comment)
        if any(i.id == KEYBOARD_ITEM for i in content.checklist.items if i.axis == axis.id):
            answer_with_keyboard(page, content)
        snap(page, f"04-checklist-{number}-{axis.id}")
        next_button(page).click()

    # Review: everything answered, as answered.
    page.wait_for_url(re.compile(r"/review$"))
    main = page.locator("main")
    for text in (COMPANY, "150", "HubSpot", comment, content.survey.tool_status_labels["in_use"].ja):
        expect(main).to_contain_text(text)
    for item in content.checklist.items:
        pair = main.locator("div.pair", has=page.locator("dt", has_text=item.text.ja))
        expect(pair.locator("dd")).to_have_text(content.checklist.answer_labels[answers[item.id]].ja)
    snap(page, "05-review")
    main.locator(".actions a[href$='/results']").click()

    # Results: what the app saved, diagnosed by the core, shown in the page.
    page.wait_for_url(re.compile(r"/results$"))
    saved = yaml.safe_load(context.request.get(f"{server.url}/a/{token}/assessment.yaml").text())
    assert saved["client"] == {"name": COMPANY, "employees": 150, "industry": "SaaS"}
    # Every item was answered, "don't know" included: the export keeps explicit answers.
    assert saved["checklist"] == answers
    assert saved["comments"] == {COMMENTED_ITEM: comment}
    assert saved["survey"]["tools"]["ma_product"] == "HubSpot"
    diagnosis = diagnose(parse_assessment(saved, content), content)
    check_results(page, content, diagnosis)
    snap(page, "06-results")

    resume = page.locator("#resume-link")
    expect(resume).to_have_value(f"{server.url}/a/{token}/results")  # copied from the results: opens them
    resume_url = resume.input_value().replace("/results", "/profile")

    # The proposal PDF through the page's own link.
    with page.expect_download(timeout=PDF_TIMEOUT_MS) as download_info:
        page.locator("main .downloads a[href$='/report.pdf?lang=ja']").click()
    download = download_info.value
    assert download.failure() is None
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the reader's today (READINESS_TIMEZONE)
    assert download.suggested_filename == f"{COMPANY}_THE-MODEL診断_{today}.pdf"
    reader = pypdf.PdfReader(download.path())
    text = "".join(p.extract_text() or "" for p in reader.pages)
    assert COMPANY in text
    assert "エグゼクティブサマリー" in text
    assert problems == [], f"browser console errors: {problems}"
    context.close()

    # Someone with the private link, in a fresh browser (no cookies), sees the saved answers.
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    visitor = other.new_page()
    visitor.goto(resume_url)
    expect(visitor.locator("html")).to_have_attribute("lang", "ja")
    expect(visitor.locator(f"#{name('client.name')}-input")).to_have_value(COMPANY)
    expect(visitor.locator(f"#{name('client.employees')}-input")).to_have_value("150")
    expect(visitor.locator(f"input[name={name('survey.tools.ma')}][value=in_use]")).to_be_checked()
    expect(visitor.locator(f"#{name('survey.tools.ma_product')}-input")).to_have_value("HubSpot")
    visitor.locator(".progress a[href$='/checklist-organization']").click()
    visitor.wait_for_url(re.compile(r"/checklist-organization$"))
    expect(visitor.locator(f"#{name('comments.' + COMMENTED_ITEM)}-input")).to_have_value(comment)
    for item in (i for i in content.checklist.items if i.axis == "organization"):
        radio = f"input[name={name('checklist.' + item.id)}][value={answers[item.id]}]"
        expect(visitor.locator(radio)).to_be_checked()
    snap(visitor, "07-resumed")
    other.close()


def answer_with_keyboard(page: Page, content: Content) -> None:
    """Tab from the previous question's (folded) comment into KEYBOARD_ITEM's radios, then down with the arrows."""
    items = [i.id for i in content.checklist.items]
    previous = items[items.index(KEYBOARD_ITEM) - 1]
    page.locator(f"details.comment:has(#{name('comments.' + previous)}-input) > summary").focus()
    page.keyboard.press("Tab")
    radios = page.locator(f"input[type=radio][name={name('checklist.' + KEYBOARD_ITEM)}]")
    expect(radios.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = radios.nth(ANSWERS.index("no"))
    expect(chosen).to_be_focused()
    expect(chosen).to_be_checked()
    expect(page.locator(f"input[name={name('checklist.' + KEYBOARD_ITEM)}]:checked")).to_have_count(1)


def check_results(page: Page, content: Content, diagnosis: Diagnosis) -> None:
    """The scores chart, the raised risks, the recommended phase and the Gantt, as the core computed them."""
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    scores = page.locator("main dl.axis-scores")
    expect(scores).to_be_visible()
    for axis in content.checklist.axes:  # each axis with its score, in words the page can enlarge
        row = scores.locator("div", has=page.locator("dt", has_text=axis.title.ja))
        expect(row.locator(".n")).to_have_text(f"{diagnosis.scores.of(axis.id):.0f}/100")

    titles = [f.title.ja for f in diagnosis.findings]
    assert titles, "the answers were chosen to raise at least one failure pattern"
    summaries = page.locator("main details.risk > summary")
    expect(summaries).to_have_count(len(titles))
    for summary, title in zip(summaries.all(), titles, strict=True):
        expect(summary).to_contain_text(title)

    phase = next(p for p in content.organisation.phases if p.number == diagnosis.phase.recommended)
    expect(page.locator("main .aim-phase")).to_have_text(phase.title.ja)
    expect(page.locator("main section p strong", has_text=phase.title.ja)).to_be_visible()

    gantt = page.locator("main .chart.scroll-x svg")
    expect(gantt).to_be_visible()
    monday = next_monday(date.today())  # no start date set: the plan starts next Monday, in dates
    expect(gantt.locator("text", has_text=re.compile(rf"^{monday.month}/{monday.day}$"))).to_have_count(1)
    task_titles = {t.title.ja for t in content.tasks}
    listed = page.locator("main ol.tasks li strong").all_inner_texts()
    assert listed and set(listed) <= task_titles
    assert page.locator("main ol.tasks li.critical").count() >= 1
    expect(page.locator("main .aim-risks")).to_contain_text(f"ロードマップ{diagnosis.plan.total_weeks}週間")


def test_checklist_fits_a_phone_screen(server: Server, browser: Browser, content: Content, snap: Snap) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    problems = track_problems(page)
    page.goto(server.url + "/")
    assert_fits_width(page, "the landing page")
    snap(page, "phone-01-landing")
    page.locator("main form[action$='/start'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile$"))
    assert_fits_width(page, "the profile page")
    snap(page, "phone-02-profile")
    for number, axis in enumerate(content.checklist.axes, start=1):
        page.locator(f".progress a[href$='/checklist-{axis.id}']").click()
        page.wait_for_url(re.compile(rf"/checklist-{axis.id}$"))
        first = next(i for i in content.checklist.items if i.axis == axis.id)
        group = page.get_by_role("group", name=first.text.ja)
        click_choice(group, content.checklist.answer_labels["partial"].ja)
        assert_fits_width(page, f"the checklist page {axis.id}")
        snap(page, f"phone-03-checklist-{number}-{axis.id}")
        next_button(page).click()  # saved: a questionnaire with nothing answered has no results to show
        page.wait_for_url(re.compile(r"/(checklist-[a-z]+|review)$"))
    page.locator(".progress a[href$='/results']").click()
    page.wait_for_url(re.compile(r"/results$"))
    expect(page.locator("main dl.axis-scores")).to_be_visible()
    size = page.locator("main dl.axis-scores dt").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14, size  # the SVG chart's words were about 6 px on a phone
    snap(page, "phone-04-results")
    assert_fits_width(page, "the results page")
    assert problems == [], f"browser console errors: {problems}"
    context.close()
