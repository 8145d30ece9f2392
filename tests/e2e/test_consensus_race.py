"""Two consultants autosaving one round's consensus at the same instant, against the live server (gunicorn with
several workers; on PostgreSQL too in the PostgreSQL pass): nothing either was told "saved" is lost, and when
both set the same item, one is saved and the other is told of the conflict, never both "saved".

The client's owner shares it with a colleague of the firm as co-facilitator; each round, their two item saves
(the consensus page's autosave, ``/consensus/item``) are released at once from their own threads (a barrier).
Different items: both are saved. The same item with different answers, both from the same stale page: exactly
one 200 and one 409, and what is stored is the answer of the one told "saved". The test keeps what each page
would show (``was-final``) from the answers it got, as consensus.js does.
"""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import yaml

from assessment import load_content
from tests.e2e.burst import sign_in
from tests.e2e.conftest import Server
from tests.e2e.http import Browserless, Reply

ITEMS = [item.id for item in load_content().checklist.items]
ANSWERS = ("yes", "partial", "no", "unknown")
ROUNDS = 20
PASSWORD = "consensus-race-password-2026"


def at_once(*sends: tuple[Browserless, str, dict[str, str]]) -> list[Reply]:
    """POST each form at the same instant, each from its own thread."""
    barrier = threading.Barrier(len(sends))

    def run(send: tuple[Browserless, str, dict[str, str]]) -> Reply:
        browser, url, data = send
        barrier.wait()
        return browser.post(url, data)

    with ThreadPoolExecutor(max_workers=len(sends)) as pool:
        return list(pool.map(run, sends))


def shared_round(server: Server) -> tuple[Browserless, Browserless, int]:
    """An owner and a colleague of one firm (made with the CLI), a client of the owner's with one round, shared
    with the colleague as co-facilitator: both signed in, and the round's id."""
    for email in ("race-owner@example.com", "race-colleague@example.com"):
        made = server.flask("create-consultant", email, "--firm", "合意競合事務所", "--password", PASSWORD)
        assert made.returncode == 0, made.stderr
    owner = sign_in(server.url, "race-owner@example.com", PASSWORD)
    colleague = sign_in(server.url, "race-colleague@example.com", PASSWORD)
    page = owner.get("/clients")
    client = owner.post("/clients", {"csrf_token": page.csrf(), "name": "合意競合株式会社"})
    client_id = int(client.url.rsplit("/", 1)[1])
    created = owner.post(
        f"/clients/{client_id}", {"csrf_token": client.csrf(), "title": "第1回", "held_on": "2026-11-20"}
    )
    engagement_id = int(created.url.rsplit("/", 1)[1])
    page = owner.get(f"/clients/{client_id}")
    option = re.search(r'<option value="(\d+)">[^<]*race-colleague@example\.com', page.text)
    assert option, page.text[:2000]
    shared = owner.post(
        f"/clients/{client_id}/shares", {"csrf_token": page.csrf(), "colleague": option.group(1), "role": "facilitator"}
    )
    assert shared.status == 200, shared.status
    assert colleague.get(f"/engagements/{engagement_id}/consensus").status == 200  # the colleague may edit it
    return owner, colleague, engagement_id


def test_two_consultants_autosaving_the_consensus_at_once_lose_nothing(server: Server) -> None:
    owner, colleague, engagement_id = shared_round(server)
    url = f"/engagements/{engagement_id}/consensus"
    tokens = {id(owner): owner.get(url).csrf(), id(colleague): colleague.get(url).csrf()}
    expected: dict[str, str] = {}  # item -> the final answer whoever was told "saved" set

    def item_form(browser: Browserless, item: str, final: str) -> tuple[Browserless, str, dict[str, str]]:
        form = {"csrf_token": tokens[id(browser)], "item": item, "final": final, "note": "",
                "was-final": expected.get(item, ""), "was-note": ""}  # fmt: skip
        return browser, url + "/item", form

    for number in range(ROUNDS):
        mine, theirs = ITEMS[(2 * number) % len(ITEMS)], ITEMS[(2 * number + 1) % len(ITEMS)]
        a, b = ANSWERS[number % 4], ANSWERS[(number + 1) % 4]
        replies = at_once(item_form(owner, mine, a), item_form(colleague, theirs, b))  # different items
        assert [r.status for r in replies] == [200, 200], [(r.status, r.text[:200]) for r in replies]
        expected[mine], expected[theirs] = a, b

        same = ITEMS[(3 * number) % len(ITEMS)]
        before = expected.get(same, "")
        a, b = [answer for answer in ANSWERS if answer != before][:2]  # two different changes
        replies = at_once(item_form(owner, same, a), item_form(colleague, same, b))  # the same item
        statuses = sorted(r.status for r in replies)
        assert statuses == [200, 409], [(r.status, r.text[:200]) for r in replies]
        winner = a if replies[0].status == 200 else b
        told = json.loads(next(r for r in replies if r.status == 409).body)
        assert (told["state"], told["final"]) == ("conflict", winner)  # the loser is shown what is stored
        expected[same] = winner

    stored = yaml.safe_load(owner.get(f"/engagements/{engagement_id}/export/assessment.yaml").body)
    assert stored["checklist"] == expected
