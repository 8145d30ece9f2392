"""Issue 16, a firm workspace: isolation by firm and by sharing role, on every workshop and firm route.

- a reviewer reads every page of the shared client (200) and every change is a 403 that changes nothing; the pages
  that only lead to a change (a deletion's confirmation, the round's correction form) are a 403 too;
- a co-facilitator changes the rounds, but what only the owner does (share, archive, delete the client) is a 403;
- a colleague the client is not shared with gets a 404 everywhere, exactly like an id that does not exist;
- a consultant of another firm gets a 404 everywhere even with a share row put straight into the database;
- a non-admin is refused every /firm page (403), and an admin of another firm gets a 404 for this firm's accounts.

The two firms are built once for the module (``firm_world``); nothing here may change them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.test import TestResponse

from tests.web import dispose, fetch_csrf, parse, text, translate, visible_text
from tests.web.firm_world import FORM_DATA, X_CLIENT, X_RESPONDENT, X_ROUND, Firms, build_firms, rules, state, urls_of

# Pages that only lead to a change: a reviewer gets the same kind 403 as for the change itself.
CHANGE_ONLY = {"workshop.edit_round", "workshop.delete_round", "workshop.delete_respondent", "workshop.delete_client"}
# What only the client's own consultant does.
OWNER_ONLY = {
    "workshop.share_client",
    "workshop.share_role",
    "workshop.stop_sharing",
    "workshop.archive_client",
    "workshop.delete_client",
}


@pytest.fixture(scope="module")
def firms(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Firms]:
    built = build_firms(tmp_path_factory.mktemp("firm-isolation"), web_cache_dir)
    yield built
    dispose(built.app)


def id_rules(firms: Firms) -> list:  # type: ignore[type-arg]
    """Every workshop route about a client (its ids). The snippets belong to the firm, not to a client: every
    colleague of the firm reads them, only their author or an admin changes them, another firm gets a 404
    (tests/web/test_snippets.py)."""
    found = [rule for rule in rules(firms.app, "workshop.") if rule.arguments and "snippet_id" not in rule.arguments]
    assert {
        "workshop.client",
        "workshop.engagement",
        "workshop.share_client",
        "workshop.stop_sharing",
        "workshop.proposal_deck",
        "workshop.consensus_item",
    } <= {r.endpoint for r in found}
    return found


def assert_hidden(response: TestResponse, where: str) -> None:
    """A 404 that gives nothing of the client away."""
    assert response.status_code == 404, (where, response.status_code)
    body = response.get_data()
    for secret in (X_CLIENT, X_ROUND, X_RESPONDENT):
        assert secret.encode() not in body, (where, secret)
    assert b"%PDF" not in body, where


def assert_refused_kindly(firms: Firms, response: TestResponse, where: str) -> None:
    """A 403 page in Japanese that says what the account may do instead, with no trace of a stack."""
    assert response.status_code == 403, (where, response.status_code)
    assert parse(response).html_lang == "ja", where
    shown = visible_text(response)
    assert "Traceback" not in shown and "Forbidden" not in shown, where


def test_a_reviewer_reads_every_page_and_changes_nothing(firms: Firms) -> None:
    before = state(firms)
    rex = firms["rex"]
    token = fetch_csrf(rex, "/clients")
    reads = changes = 0
    for rule in id_rules(firms):
        for url in urls_of(rule, firms):
            if "GET" in rule.methods:
                response = rex.get(url)
                if rule.endpoint in CHANGE_ONLY:
                    assert_refused_kindly(firms, response, f"rex GET {url}")
                else:
                    assert response.status_code == 200, (f"rex GET {url}", response.status_code)
                    reads += 1
            if "POST" in rule.methods:
                assert_refused_kindly(firms, rex.post(url, data={"csrf_token": token, **FORM_DATA}), f"rex POST {url}")
                changes += 1
    assert reads >= 15 and changes >= 20, (reads, changes)
    assert state(firms) == before, "a reviewer changed the client"


def test_a_reviewers_pages_have_no_editing_form_and_say_read_only(firms: Firms) -> None:
    rex = firms["rex"]
    read_only = translate(firms.app, "Read only")
    assert read_only == "閲覧のみ"
    pages = [f"/clients/{firms.client_id}", f"/engagements/{firms.engagement_id}"]
    pages += [f"/engagements/{firms.engagement_id}/{tab}" for tab in ("consensus", "results", "proposal")]
    for url in pages:
        page = rex.get(url)
        assert page.status_code == 200, url
        assert read_only in visible_text(page), url
        assert 'class="read-only"' in text(page), url  # the body: any form a page still has is not shown
    for url in pages[:2]:  # the client's and the round's pages offer no form at all (the sign-out form aside)
        body = text(rex.get(url))
        forms = [form for form in body.split("<form")[1:] if 'action="/logout"' not in form.split(">")[0]]
        assert forms == [], (url, [form[:120] for form in forms])
    round_page = visible_text(rex.get(f"/engagements/{firms.engagement_id}"))
    assert X_RESPONDENT in round_page  # the respondents are listed ...
    assert "/r/" not in text(rex.get(f"/engagements/{firms.engagement_id}")), "a reviewer sees answering links"
    owner_page = text(firms["ada"].get(f"/engagements/{firms.engagement_id}"))
    assert "閲覧のみ" not in owner_page and 'class="read-only"' not in owner_page and "<form" in owner_page


def test_the_refusal_is_kind_in_both_languages(firms: Firms) -> None:
    rex = firms["rex"]
    url = f"/engagements/{firms.engagement_id}/join"
    token = fetch_csrf(rex, f"/engagements/{firms.engagement_id}")
    japanese = rex.post(url, data={"csrf_token": token, "open": "0"})
    reason = (
        "You review this client: you can read every page of it, but not change anything. Ask its consultant to "
        "make you a co-facilitator if you need to."
    )
    assert japanese.status_code == 403
    assert translate(firms.app, reason) in visible_text(japanese)
    assert f'href="/engagements/{firms.engagement_id}"' in text(japanese)  # back to the page they can read
    english = firms.app.test_client()
    english.post(
        "/login?lang=en",
        data={
            "csrf_token": fetch_csrf(english, "/login"),
            "email": "rex@example.com",
            "password": "correct horse battery",
        },
    )
    token = fetch_csrf(english, f"/engagements/{firms.engagement_id}?lang=en")
    refused = english.post(url, data={"csrf_token": token, "open": "0"})
    assert refused.status_code == 403 and parse(refused).html_lang == "en"
    assert reason in visible_text(refused)


def test_a_co_facilitator_is_refused_only_what_the_owner_does(firms: Firms) -> None:
    before = state(firms)
    fay = firms["fay"]
    token = fetch_csrf(fay, "/clients")
    for rule in id_rules(firms):
        if rule.endpoint not in OWNER_ONLY:
            continue
        for url in urls_of(rule, firms):
            if "GET" in rule.methods:
                assert_refused_kindly(firms, fay.get(url), f"fay GET {url}")
            assert_refused_kindly(firms, fay.post(url, data={"csrf_token": token, **FORM_DATA}), f"fay POST {url}")
    assert state(firms) == before
    page = text(fay.get(f"/clients/{firms.client_id}"))
    assert "/delete" not in page.split('id="sharing"')[1] and "/archive" not in page.split('id="sharing"')[1]
    assert "/shares" not in page, "a co-facilitator is offered sharing"


@pytest.mark.parametrize("who", ["nell", "zed"])
def test_a_colleague_without_a_share_and_another_firm_with_one_get_404_everywhere(firms: Firms, who: str) -> None:
    """Nell is of Ada's firm, with no share; Zed is of another firm, with a share row put into the database."""
    before = state(firms)
    browser = firms[who]
    token = fetch_csrf(browser, "/clients")
    checked = 0
    for rule in id_rules(firms):
        for url in urls_of(rule, firms):
            if "GET" in rule.methods:
                assert_hidden(browser.get(url), f"{who} GET {url}")
                checked += 1
            if "POST" in rule.methods:
                assert_hidden(browser.post(url, data={"csrf_token": token, **FORM_DATA}), f"{who} POST {url}")
                checked += 1
    assert checked >= 40, checked
    assert state(firms) == before
    listing = browser.get("/clients")
    assert listing.status_code == 200 and X_CLIENT not in text(listing)


def test_the_shared_clients_are_listed_with_who_shared_them_and_the_role(firms: Firms) -> None:
    for who, role in (("fay", "co-facilitator"), ("rex", "reviewer")):
        listing = visible_text(firms[who].get("/clients"))
        assert X_CLIENT in listing and "Ada" in listing and translate(firms.app, role) in listing, who
    assert translate(firms.app, "reviewer") != "reviewer"


def test_a_non_admin_is_refused_every_firm_page(firms: Firms) -> None:
    before = state(firms)
    firm_rules = rules(firms.app, "firm.")
    assert {
        "firm.accounts",
        "firm.account_role",
        "firm.deactivate",
        "firm.reactivate",
        "firm.transfer",
        "firm.look",
        "firm.remove_logo",
    } <= {r.endpoint for r in firm_rules}
    for who in ("fay", "rex", "nell", "zed"):
        browser = firms[who]
        token = fetch_csrf(browser, "/clients")
        for rule in firm_rules:
            for url in urls_of(rule, firms):
                if "GET" in rule.methods:
                    response = browser.get(url)
                    assert_refused_kindly(firms, response, f"{who} GET {url}")
                    assert "fay@example.com" not in text(response)
                if "POST" in rule.methods:
                    response = browser.post(url, data={"csrf_token": token, **FORM_DATA})
                    assert_refused_kindly(firms, response, f"{who} POST {url}")
        assert 'href="/firm/' not in text(browser.get("/clients")), who  # no link to pages they cannot open
    assert state(firms) == before
    assert 'href="/firm/accounts"' in text(firms["ada"].get("/clients"))


def test_an_admin_of_another_firm_gets_404_for_this_firms_accounts(firms: Firms) -> None:
    before = state(firms)
    yuri = firms["yuri"]
    token = fetch_csrf(yuri, "/firm/accounts")
    for endpoint in ("firm.account_role", "firm.deactivate", "firm.reactivate"):
        [rule] = [r for r in rules(firms.app, endpoint)]
        for who in ("ada", "fay", "nell"):
            for url in urls_of(rule, firms, account_id=firms.ids[who]):
                assert yuri.post(url, data={"csrf_token": token, "role": "consultant"}).status_code == 404, url
    listing = visible_text(yuri.get("/firm/accounts"))
    assert "zed@example.com" in listing and "ada@example.com" not in listing and "fay@example.com" not in listing
    handover = yuri.post(
        "/firm/transfer",
        data={
            "csrf_token": token,
            "leaver": str(firms.ids["ada"]),
            "receiver": str(firms.ids["zed"]),
            "confirmed": "1",
        },
    )
    assert handover.status_code == 422
    assert state(firms) == before
    assert X_CLIENT not in text(handover)
