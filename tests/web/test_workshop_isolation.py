"""Workshop mode, isolation: one consultant never reaches another's clients, rounds, respondents or proposals
(every workshop URL with an id answers 404), and the respondents' links close as they should (expired,
revoked, wrong token, closed join code).

Consultant A's round is built once for the module through the real pages (no PDF is rendered: the archived
proposal is a stored row with a few bytes). Tests that close a link or the join code use a round of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from assessment.web.accounts import create_consultant
from assessment.web.models import (
    Client,
    ClientShare,
    Engagement,
    Firm,
    MailSent,
    Proposal,
    Respondent,
    SelfAssessment,
    db,
)
from tests.web import build_app, csrf_token, dispose, fetch_csrf, parse, text, translate, visible_text

PASSWORD = "correct horse battery"
A_CLIENT = "Alpha Holdings 株式会社アルファ"
A_ROUND = "Alpha kick-off round"
A_NOTE = "Alpha's confidential narrative"
A_RESPONDENT = "Aiko Alpha"
A_SNIPPET = "Alpha firm's snippet"
B_CLIENT = "Beta Trading"
FIRST_PAGE = "checklist-organization"
# What every workshop form could take: a POST that got past the ownership check would act on A's data.
FORM_DATA = {
    "name": "written by B", "title": "B's round", "held_on": "2026-05-01", "department": "other", "days": "30",
    "open": "0", "note-executive_summary": "B was here", "final-org.exec_sponsorship": "no", "action": "save",
    "email": "b@example.com",
}  # fmt: skip
# Every (kind, fmt) the export route serves.
EXPORTS = [
    ("respondents", "csv"), ("respondents", "xlsx"), ("consensus", "csv"), ("consensus", "xlsx"), ("workbook", "xlsx"),
    ("assessment", "yaml"), ("assessment", "json"),
]  # fmt: skip


@dataclass
class World:
    """The module's app; A's and B's browsers; A's client, round, respondent (with answers) and proposal."""

    app: Flask
    a: FlaskClient
    b: FlaskClient
    client_id: int
    engagement_id: int
    respondent_id: int
    respondent_token: str
    proposal_id: int
    snippet_id: int
    colleague_id: int  # A's colleague (same firm) A's client is shared with, as reviewer


def signed_in(app: Flask, email: str) -> FlaskClient:
    browser = app.test_client()
    token = fetch_csrf(browser, "/login")
    response = browser.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/clients", (response.status_code, response.location)
    return browser


def post_form(browser: FlaskClient, page: str, url: str, data: dict[str, str]) -> TestResponse:
    """GET ``page`` for its CSRF token and POST ``data`` to ``url``."""
    return browser.post(url, data={"csrf_token": fetch_csrf(browser, page), **data})


def id_of(location: str) -> int:
    match = re.search(r"/(\d+)(?:#.*)?$", location)
    assert match, location
    return int(match.group(1))


def new_round(world: World, title: str) -> int:
    """A new round of A's client, made through A's pages."""
    url = f"/clients/{world.client_id}"
    response = post_form(world.a, url, url, {"title": title, "held_on": "2026-04-01"})
    assert response.status_code == 302, response.status_code
    return id_of(response.location)


def invite(app: Flask, browser: FlaskClient, engagement_id: int, department: str, name: str) -> Respondent:
    """A private answering link, created through the round's page; the stored row (detached)."""
    page = f"/engagements/{engagement_id}"
    response = post_form(browser, page, f"{page}/invites", {"department": department, "name": name, "days": "14"})
    assert response.status_code == 302, response.status_code
    respondent_id = int(response.location.rsplit("#respondent-", 1)[1])
    return respondent_row(app, respondent_id)


def respondent_row(app: Flask, respondent_id: int) -> Respondent:
    with app.app_context():
        row = db.session.get(Respondent, respondent_id)
        assert row is not None
        db.session.expunge(row)
        return row


def answer_first_page(browser: FlaskClient, token: str, answer: str = "yes") -> dict[str, str]:
    """Answer every statement of the first page through the respondent's link; the answers by item id."""
    start = browser.get(f"/r/{token}")
    assert start.status_code == 302 and start.location.endswith(f"/r/{token}/{FIRST_PAGE}"), start.location
    page = browser.get(start.location)
    assert page.status_code == 200
    names = [name for name in parse(page).radios if name.startswith("checklist__")]
    assert names, "the first page has no statements"
    data = {name: answer for name in names}
    saved = browser.post(start.location, data={"csrf_token": csrf_token(page), "action": "next", **data})
    assert saved.status_code == 302, saved.status_code
    return {name.removeprefix("checklist__").replace("__", "."): answer for name in names}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[World]:
    app = build_app(tmp_path_factory.mktemp("workshop-isolation"), web_cache_dir)
    with app.app_context():
        consultant_a = create_consultant("a@example.com", PASSWORD, "Consultant A")
        create_consultant("b@example.com", PASSWORD, "Consultant B")  # a firm of its own
        firm_a = db.session.get(Firm, consultant_a.firm_id)
        colleague_id = create_consultant("c@example.com", PASSWORD, "Colleague C", firm=firm_a).id
    a = signed_in(app, "a@example.com")
    b = signed_in(app, "b@example.com")

    response = post_form(a, "/clients", "/clients", {"name": A_CLIENT})
    assert response.status_code == 302
    client_id = id_of(response.location)
    response = post_form(a, response.location, response.location, {"title": A_ROUND, "held_on": "2026-03-01"})
    assert response.status_code == 302
    engagement_id = id_of(response.location)
    response = post_form(b, "/clients", "/clients", {"name": B_CLIENT})  # B has a client of his own
    assert response.status_code == 302
    client_url = f"/clients/{client_id}"
    shared = post_form(a, client_url, f"{client_url}/shares", {"colleague": str(colleague_id), "role": "reviewer"})
    assert shared.status_code == 302, shared.status_code

    respondent = invite(app, a, engagement_id, "field_sales", A_RESPONDENT)
    answers = answer_first_page(app.test_client(), respondent.token)
    assert respondent_row(app, respondent.id).answers == answers
    proposal_url = f"/engagements/{engagement_id}/proposal"
    assert post_form(a, proposal_url, proposal_url, {"note-executive_summary": A_NOTE}).status_code == 302

    with app.app_context():  # an archived proposal whose PDF is already stored: nothing is rendered
        proposal = Proposal(
            engagement_id=engagement_id, lang="ja", document={"version": 1, "client": {"name": A_CLIENT}},
            content_fingerprint="test", pdf=b"%PDF-1.4 test",
        )  # fmt: skip
        db.session.add(proposal)
        db.session.commit()
        proposal_id = proposal.id
    response = post_form(a, "/snippets", "/snippets", {"lang": "ja", "title": A_SNIPPET, "body": A_NOTE})
    assert response.status_code == 302
    snippet_id = int(response.location.rsplit("#snippet-", 1)[1])
    yield World(
        app, a, b, client_id, engagement_id, respondent.id, respondent.token, proposal_id, snippet_id, colleague_id
    )
    dispose(app)


# --- one consultant never reaches another's ids -------------------------------------------------------------------


def id_rules(app: Flask) -> list[Rule]:
    """Every rule of the workshop blueprint with a variable in its URL."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("workshop.") and r.arguments]
    known = {"workshop.client", "workshop.engagement", "workshop.revoke", "workshop.reopen", "workshop.proposal_pdf",
             "workshop.export", "workshop.respondent_mail", "workshop.remind_respondents",
             "workshop.survey_mail"}  # fmt: skip
    assert known <= {r.endpoint for r in rules}, "the workshop routes were not found"
    return rules


def urls_of(rule: Rule, world: World) -> list[str]:
    """The rule's URLs on A's ids (every export kind and format)."""
    ids: dict[str, Any] = {
        "client_id": world.client_id,
        "engagement_id": world.engagement_id,
        "respondent_id": world.respondent_id,
        "proposal_id": world.proposal_id,
        "snippet_id": world.snippet_id,
        "colleague_id": world.colleague_id,
    }
    variants: list[dict[str, Any]] = [{}]
    if {"kind", "fmt"} & rule.arguments:
        variants = [{"kind": kind, "fmt": fmt} for kind, fmt in EXPORTS]
    unknown = rule.arguments - set(ids) - set(variants[0])
    assert not unknown, f"{rule.rule}: give the test valid values for {sorted(unknown)}"
    with world.app.test_request_context("/"):
        return [
            url_for(rule.endpoint, **{k: v for k, v in {**ids, **extra}.items() if k in rule.arguments})
            for extra in variants
        ]


def a_state(world: World) -> dict[str, Any]:
    """What B must not be able to change: A's client, round, respondents, survey, notes and proposals."""
    with world.app.app_context():
        engagement = db.session.get(Engagement, world.engagement_id)
        assert engagement is not None
        respondents = db.session.execute(select(Respondent).filter_by(engagement_id=engagement.id)).scalars()
        return {
            "client": db.session.get(Client, world.client_id).name,  # type: ignore[union-attr]
            "rounds": db.session.scalar(
                select(func.count()).select_from(Engagement).filter_by(client_id=world.client_id)
            ),
            "engagement": (engagement.title, engagement.join_open, engagement.held_on, engagement.survey_email),
            "respondents": [(r.id, r.department, r.name, r.answers, r.revoked_at, r.email) for r in respondents],
            "mails": db.session.scalar(select(func.count()).select_from(MailSent)),
            "document": db.session.get(SelfAssessment, engagement.assessment_id).document,  # type: ignore[union-attr]
            "proposals": db.session.scalar(select(func.count()).select_from(Proposal)),
            "shares": [(s.consultant_id, s.role) for s in db.session.execute(select(ClientShare)).scalars()],
            "archived": db.session.get(Client, world.client_id).archived_at,  # type: ignore[union-attr]
        }


def assert_not_found(response: TestResponse, where: str) -> None:
    assert response.status_code == 404, (where, response.status_code)
    body = response.get_data()
    for secret in (A_CLIENT, A_ROUND, A_NOTE, A_RESPONDENT, A_SNIPPET):
        assert secret.encode() not in body, (where, secret)
    assert b"%PDF" not in body, where


def test_another_consultants_ids_answer_404(world: World) -> None:
    before = a_state(world)
    token = fetch_csrf(world.b, "/clients")  # B's own valid token: a 404, not a CSRF 400
    checked: list[str] = []
    for rule in id_rules(world.app):
        for url in urls_of(rule, world):
            if "GET" in rule.methods:
                assert_not_found(world.b.get(url), f"B GET {url}")
                checked.append(f"GET {url}")
            if "POST" in rule.methods:
                assert_not_found(world.b.post(url, data={"csrf_token": token, **FORM_DATA}), f"B POST {url}")
                checked.append(f"POST {url}")
    assert len(checked) >= 20, checked
    assert a_state(world) == before, "B changed A's data"


def test_the_same_urls_work_for_their_owner(world: World) -> None:
    for rule in id_rules(world.app):
        if "GET" not in rule.methods:
            continue
        for url in urls_of(rule, world):
            response = world.a.get(url)
            assert response.status_code in (200, 302), (f"A GET {url}", response.status_code)
    pdf = world.a.get(f"/engagements/{world.engagement_id}/proposals/{world.proposal_id}.pdf")
    assert pdf.status_code == 200 and pdf.get_data() == b"%PDF-1.4 test"
    assert A_CLIENT in text(world.a.get(f"/engagements/{world.engagement_id}/proposals/{world.proposal_id}.yaml"))
    assert A_CLIENT in visible_text(world.a.get(f"/clients/{world.client_id}"))
    assert A_RESPONDENT in visible_text(world.a.get(f"/engagements/{world.engagement_id}"))


def test_ids_that_do_not_exist_answer_404_too(world: World) -> None:
    token = fetch_csrf(world.a, "/clients")
    missing = 10**6
    for url in (
        f"/clients/{missing}",
        f"/engagements/{missing}",
        f"/engagements/{missing}/live.json",
        f"/engagements/{world.engagement_id}/proposals/{missing}.pdf",
        f"/engagements/{world.engagement_id}/export/secrets.csv",
        f"/engagements/{world.engagement_id}/export/respondents.exe",
    ):
        assert world.a.get(url).status_code == 404, url
    url = f"/engagements/{world.engagement_id}/respondents/{missing}/revoke"
    assert world.a.post(url, data={"csrf_token": token}).status_code == 404


def test_a_respondent_of_another_round_is_not_reached_through_ones_own_round(world: World) -> None:
    # B's own round, with A's respondent id in the URL: the respondent must belong to the round
    b_round = post_form(world.b, "/clients", "/clients", {"name": "Beta Second"})
    b_client = b_round.location
    created = post_form(world.b, b_client, b_client, {"title": "Beta round", "held_on": "2026-04-02"})
    assert created.status_code == 302
    b_engagement = id_of(created.location)
    token = fetch_csrf(world.b, f"/engagements/{b_engagement}")
    url = f"/engagements/{b_engagement}/respondents/{world.respondent_id}/revoke"
    assert world.b.post(url, data={"csrf_token": token}).status_code == 404
    url = f"/engagements/{b_engagement}/proposals/{world.proposal_id}.pdf"
    assert world.b.get(url).status_code == 404
    assert world.b.get(f"/engagements/{b_engagement}/proposals/{world.proposal_id}.yaml").status_code == 404
    assert respondent_row(world.app, world.respondent_id).revoked_at is None


def test_another_consultants_client_list_does_not_show_a(world: World) -> None:
    page = world.b.get("/clients")
    assert page.status_code == 200
    assert B_CLIENT in visible_text(page)
    body = text(page)
    assert A_CLIENT not in body and A_ROUND not in body
    assert f'href="/clients/{world.client_id}"' not in body
    assert A_CLIENT in visible_text(world.a.get("/clients"))
    for page in ("/portfolio", "/snippets"):  # the lists of another firm
        body = text(world.b.get(page))
        assert A_CLIENT not in body and A_ROUND not in body and A_SNIPPET not in body, page
    searched = text(world.b.get(f"/portfolio?q={quote(A_CLIENT)}"))  # the search box shows the words searched
    assert 'id="no-match"' in searched and f'href="/clients/{world.client_id}"' not in searched
    assert A_ROUND not in searched
    assert B_CLIENT in visible_text(world.b.get("/portfolio"))
    assert A_CLIENT in visible_text(world.a.get("/portfolio")) and A_SNIPPET in visible_text(world.a.get("/snippets"))


# --- respondents' links -------------------------------------------------------------------------------------------


def closed_page(app: Flask, response: TestResponse, reason: str) -> None:
    """A 410 with the 'link closed' page, in Japanese by default."""
    assert response.status_code == 410, response.status_code
    assert parse(response).html_lang == "ja"
    shown = visible_text(response)
    title = translate(app, "This link is closed", "ja")
    assert title != "This link is closed", "the Japanese catalogue has no translation of the closed page"
    assert title in shown
    assert translate(app, reason, "ja") in shown
    assert A_CLIENT not in shown


def test_an_expired_link_is_closed_and_saves_nothing(world: World) -> None:
    respondent = invite(world.app, world.a, world.engagement_id, "marketing", "Expiring")
    browser = world.app.test_client()
    page_url = f"/r/{respondent.token}/{FIRST_PAGE}"
    page = browser.get(page_url)  # opened while the link was open
    assert page.status_code == 200
    with world.app.app_context():
        row = db.session.get(Respondent, respondent.id)
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()

    for url in (f"/r/{respondent.token}", page_url, f"/r/{respondent.token}/done"):
        closed_page(world.app, browser.get(url), "This answering link has expired.")
    answers = {name: "no" for name in parse(page).radios if name.startswith("checklist__")}
    posted = browser.post(page_url, data={"csrf_token": csrf_token(page), "action": "next", **answers})
    closed_page(world.app, posted, "This answering link has expired.")
    stored = respondent_row(world.app, respondent.id)
    assert stored.answers == {} and stored.comments == {} and stored.submitted_at is None


def participation(world: World, engagement_id: int) -> dict[str, Any]:
    response = world.a.get(f"/engagements/{engagement_id}/live.json")
    assert response.status_code == 200
    return response.get_json()["participation"]  # type: ignore[no-any-return]


def test_a_revoked_link_is_closed_and_its_answers_stop_counting(world: World) -> None:
    engagement_id = new_round(world, "Round with a revoked link")
    kept = invite(world.app, world.a, engagement_id, "marketing", "Kept")
    revoked = invite(world.app, world.a, engagement_id, "customer_success", "Withdrawn")
    answer_first_page(world.app.test_client(), kept.token, "yes")
    browser = world.app.test_client()
    answer_first_page(browser, revoked.token, "no")
    page = browser.get(f"/r/{revoked.token}/{FIRST_PAGE}")
    counts = participation(world, engagement_id)
    assert (counts["invited"], counts["started"]) == (2, 2), counts
    assert sum(row["count"] for row in counts["by_department"]) == 2

    url = f"/engagements/{engagement_id}"
    response = post_form(world.a, url, f"{url}/respondents/{revoked.id}/revoke", {})
    assert response.status_code == 302 and response.location == url, response.location

    counts = participation(world, engagement_id)
    assert (counts["invited"], counts["started"]) == (1, 1), counts
    assert sum(row["count"] for row in counts["by_department"]) == 1
    live = world.a.get(f"/engagements/{engagement_id}/live.json").get_json()
    assert all(item["counts"]["no"] == 0 for item in live["items"]), "the revoked answers still count"
    for url in (f"/r/{revoked.token}", f"/r/{revoked.token}/{FIRST_PAGE}", f"/r/{revoked.token}/done"):
        closed_page(world.app, browser.get(url), "This answering link has been withdrawn.")
    before = respondent_row(world.app, revoked.id).answers
    posted = browser.post(
        f"/r/{revoked.token}/{FIRST_PAGE}",
        data={"csrf_token": csrf_token(page), "action": "next", **dict.fromkeys(parse(page).radios, "yes")},
    )
    closed_page(world.app, posted, "This answering link has been withdrawn.")
    assert respondent_row(world.app, revoked.id).answers == before
    assert world.a.get(f"/r/{kept.token}").status_code == 302  # the other link is still open


def test_a_revoked_or_expired_link_can_be_reopened_and_its_answers_count_again(world: World) -> None:
    engagement_id = new_round(world, "Round with a link revoked by mistake")
    mistaken = invite(world.app, world.a, engagement_id, "field_sales", "Mistaken")
    answer_first_page(world.app.test_client(), mistaken.token, "no")
    url = f"/engagements/{engagement_id}"
    assert 'data-confirm="' in text(world.a.get(url))  # revoking asks first (app.js), as it hides answers
    post_form(world.a, url, f"{url}/respondents/{mistaken.id}/revoke", {})
    assert participation(world, engagement_id)["started"] == 0
    assert f"/respondents/{mistaken.id}/reopen" in text(world.a.get(url))

    response = post_form(world.a, url, f"{url}/respondents/{mistaken.id}/reopen", {})
    assert response.status_code == 302 and response.location == f"{url}#respondent-{mistaken.id}"
    assert participation(world, engagement_id)["started"] == 1  # the answers were kept all along
    assert world.app.test_client().get(f"/r/{mistaken.token}").status_code == 302  # the link works again

    with world.app.app_context():  # the link runs out ...
        row = db.session.get(Respondent, mistaken.id)
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(days=1)
        db.session.commit()
    closed_page(world.app, world.app.test_client().get(f"/r/{mistaken.token}"), "This answering link has expired.")
    post_form(world.a, url, f"{url}/respondents/{mistaken.id}/reopen", {})  # ... and is given two more weeks
    expires = respondent_row(world.app, mistaken.id).expires_at
    assert (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) > datetime.now(UTC) + timedelta(days=13)
    assert world.app.test_client().get(f"/r/{mistaken.token}").status_code == 302


@pytest.mark.parametrize(
    "token",
    [
        "short",
        "a" * 65,
        "x" * 200,
        "abcdefghijklmnopqrstuvwxyz.ABCDEFG",
        "abcdefghijklmnopqrstuvwxyz%ABCDEFG",
        "..",
        "../",
        "../../etc/passwd",
        "<script>alert(1)</script>AAAAAAAAAAAAAAAAAAAA",
        "'\"><img src=x onerror=alert(1)>AAAAAAAAAAAAAA",
        "A" * 43,  # the shape of a real token, but nobody's
        " " + "B" * 42,
    ],
)
def test_a_wrong_token_answers_404(world: World, token: str) -> None:
    browser = world.app.test_client()
    csrf = fetch_csrf(browser, "/login")
    quoted = quote(token, safe="")
    for method, url in (
        ("GET", f"/r/{quoted}"),
        ("GET", f"/r/{quoted}/{FIRST_PAGE}"),
        ("GET", f"/r/{quoted}/done"),
        ("POST", f"/r/{quoted}/{FIRST_PAGE}"),
    ):
        data = {"csrf_token": csrf} if method == "POST" else None
        # "..%2F/" has a double slash once decoded: werkzeug's 308 to the merged path, which is a 404 too
        response = browser.open(url, method=method, data=data, follow_redirects=True)
        assert response.status_code == 404, (method, url, response.status_code)
        body = text(response)
        assert "<script>alert" not in body and "<img src=x" not in body, url


def test_a_real_token_with_a_wrong_page_answers_404(world: World) -> None:
    for page in ("profile", "review", "checklist-nope", "..%2F..%2Fclients"):
        assert world.app.test_client().get(f"/r/{world.respondent_token}/{page}").status_code == 404, page


def respondents_of(app: Flask, engagement_id: int) -> list[Respondent]:
    with app.app_context():
        rows = list(db.session.execute(select(Respondent).filter_by(engagement_id=engagement_id)).scalars())
        for row in rows:
            db.session.expunge(row)
        return rows


def join_code(app: Flask, engagement_id: int) -> str:
    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        assert engagement is not None
        return engagement.join_code


def test_a_closed_join_code_answers_410_and_adds_nobody(world: World) -> None:
    engagement_id = new_round(world, "Round with a closed join link")
    code = join_code(world.app, engagement_id)
    browser = world.app.test_client()
    join_page = browser.get(f"/j/{code}")  # a phone had the join page open before it closed
    assert join_page.status_code == 200

    url = f"/engagements/{engagement_id}"
    response = post_form(world.a, url, f"{url}/join", {"open": "0"})
    assert response.status_code == 302
    assert world.a.get(f"/engagements/{engagement_id}/live.json").get_json()["join_open"] is False

    closed_page(world.app, browser.get(f"/j/{code}"), "The workshop is not taking new participants.")
    closed_page(world.app, browser.get(f"/j/{code.upper()}"), "The workshop is not taking new participants.")
    posted = browser.post(f"/j/{code}", data={"csrf_token": csrf_token(join_page), "department": "marketing"})
    closed_page(world.app, posted, "The workshop is not taking new participants.")
    assert respondents_of(world.app, engagement_id) == []

    # reopened, the same code works again
    assert post_form(world.a, url, f"{url}/join", {"open": "1"}).status_code == 302
    assert browser.get(f"/j/{code}").status_code == 200


def test_an_open_join_code_creates_a_respondent_with_the_chosen_department(world: World) -> None:
    engagement_id = new_round(world, "Round with an open join link")
    code = join_code(world.app, engagement_id)
    browser = world.app.test_client()
    page = browser.get(f"/j/{code}")
    assert page.status_code == 200 and parse(page).html_lang == "ja"
    response = browser.post(
        f"/j/{code}", data={"csrf_token": csrf_token(page), "department": "inside_sales", "name": "Joiner"}
    )
    assert response.status_code == 302, response.status_code
    [joined] = respondents_of(world.app, engagement_id)
    assert (joined.department, joined.name, joined.revoked_at) == ("inside_sales", "Joiner", None)
    assert response.location == f"/r/{joined.token}", response.location
    assert browser.get(response.location).status_code == 302  # straight to the first page of statements
    answers = answer_first_page(browser, joined.token)
    assert respondent_row(world.app, joined.id).answers == answers
    assert participation(world, engagement_id)["started"] == 1


def join_key(page: TestResponse) -> str:
    key = parse(page).hidden.get("key", "")
    assert len(key) >= 16, "the join form carries no one-time key"
    return key


def test_sending_the_join_form_twice_makes_one_respondent(world: World) -> None:
    """A double tap, or back and resend, must not add a ghost participant; two phones are two people."""
    engagement_id = new_round(world, "Round with a double tap")
    code = join_code(world.app, engagement_id)
    phone = world.app.test_client()
    page = phone.get(f"/j/{code}")
    form = {"csrf_token": csrf_token(page), "department": "field_sales", "name": "二度押し", "key": join_key(page)}
    first, second = phone.post(f"/j/{code}", data=form), phone.post(f"/j/{code}", data=form)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    other_phone = world.app.test_client()
    other_page = other_phone.get(f"/j/{code}")
    assert join_key(other_page) != form["key"]
    other = other_phone.post(
        f"/j/{code}",
        data={"csrf_token": csrf_token(other_page), "department": "marketing", "key": join_key(other_page)},
    )
    assert other.status_code == 302 and other.location != first.location
    assert sorted(r.department for r in respondents_of(world.app, engagement_id)) == ["field_sales", "marketing"]
    assert participation(world, engagement_id)["invited"] == 2


@pytest.mark.parametrize("key", ["x" * 5000, "<script>", "../../etc", "", "ключ"])
def test_a_forged_join_key_is_ignored_not_an_invisible_error(world: World, key: str) -> None:
    engagement_id = new_round(world, f"Round with a forged key {len(key)}")
    code = join_code(world.app, engagement_id)
    phone = world.app.test_client()
    page = phone.get(f"/j/{code}")
    joined = phone.post(f"/j/{code}", data={"csrf_token": csrf_token(page), "department": "marketing", "key": key})
    assert joined.status_code == 302 and joined.location.startswith("/r/")
    assert len(respondents_of(world.app, engagement_id)) == 1


def test_opening_the_join_link_again_offers_to_continue(world: World) -> None:
    engagement_id = new_round(world, "Round joined twice from one phone")
    code = join_code(world.app, engagement_id)
    phone = world.app.test_client()
    page = phone.get(f"/j/{code}")
    assert 'id="already-joined"' not in text(page)
    joined = phone.post(
        f"/j/{code}", data={"csrf_token": csrf_token(page), "department": "inside_sales", "key": join_key(page)}
    )
    again = phone.get(f"/j/{code}")
    assert 'id="already-joined"' in text(again), "scanning the code again does not offer this phone's link"
    assert f'href="{joined.location}"' in text(again)
    assert "インサイドセールス" in visible_text(again)
    [respondent] = respondents_of(world.app, engagement_id)
    url = f"/engagements/{engagement_id}"
    assert post_form(world.a, url, f"{url}/respondents/{respondent.id}/revoke", {}).status_code == 302
    assert 'id="already-joined"' not in text(phone.get(f"/j/{code}"))  # a revoked link is not offered


def test_a_join_without_a_department_or_token_adds_nobody(world: World) -> None:
    engagement_id = new_round(world, "Round with careless joiners")
    code = join_code(world.app, engagement_id)
    browser = world.app.test_client()
    page = browser.get(f"/j/{code}")
    assert browser.post(f"/j/{code}", data={"csrf_token": csrf_token(page), "department": "ceo"}).status_code == 422
    assert browser.post(f"/j/{code}", data={"department": "marketing"}).status_code == 400
    assert respondents_of(world.app, engagement_id) == []


@pytest.mark.parametrize("code", ["abc", "x" * 17, "zzzzzzzz", "abc-defg", "../../x", "<b>code</b>"])
def test_a_wrong_join_code_answers_404(world: World, code: str) -> None:
    browser = world.app.test_client()
    csrf = fetch_csrf(browser, "/login")
    url = f"/j/{quote(code, safe='')}"
    assert browser.get(url).status_code == 404
    assert browser.post(url, data={"csrf_token": csrf, "department": "marketing"}).status_code == 404
