"""Saves racing each other on the live server (gunicorn as deployed, several workers): nothing acknowledged is
lost. Before optimistic concurrency, two browsers saving different pages of one self-assessment lost one page
in 11-22 of 40 rounds, and a client's survey link wiped final answers the consultant had just saved.

Each round releases both saves at the same instant (a barrier) from their own threads and cookie jars, then
reads the stored file back: both saves must be in it.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import yaml

from assessment import load_content
from tests.e2e.conftest import Account, Server
from tests.e2e.http import Browserless, Reply
from tests.e2e.test_concurrent_respondents import new_round, signed_in

CONTENT = load_content()
ROUNDS = 40


Save = tuple[Browserless, str, dict[str, str]]


def race(*saves: Save) -> list[Reply]:
    """Post each form (browser, url, data) at the same instant, each from its own thread."""
    barrier = threading.Barrier(len(saves))

    def run(save: Save) -> Reply:
        browser, url, data = save
        barrier.wait()
        return browser.post(url, data)

    with ThreadPoolExecutor(max_workers=len(saves)) as pool:
        return list(pool.map(run, saves))


def test_two_browsers_saving_different_pages_at_once_both_keep_their_answers(server: Server) -> None:
    first = Browserless(server.url)
    landing = first.get("/")
    base = first.post("/start", {"csrf_token": landing.csrf()}).url.rsplit("/", 1)[0]
    second = Browserless(server.url)
    profile_token = first.get(f"{base}/profile").csrf()
    funnel_token = second.get(f"{base}/funnel").csrf()
    lost = []
    for number in range(1, ROUNDS + 1):
        name = f"同時保存{number}"
        replies = race(
            (first, f"{base}/profile", {"csrf_token": profile_token, "client__name": name, "action": "next"}),
            (
                second,
                f"{base}/funnel",
                {"csrf_token": funnel_token, "survey__funnel__leads": str(1000 + number), "action": "back"},
            ),
        )
        assert all(reply.status == 200 for reply in replies), [(r.status, r.url) for r in replies]
        saved = yaml.safe_load(first.get(f"{base}/assessment.yaml").body)
        if saved["client"].get("name") != name or saved["survey"]["funnel"].get("leads") != 1000 + number:
            lost.append(number)
    assert lost == [], f"a page was lost in rounds {lost}"


def test_the_survey_link_racing_the_consultants_final_answers_loses_none(server: Server, consultant: Account) -> None:
    manager = signed_in(server, consultant)
    engagement_id, _code = new_round(manager, "調査リンク競合株式会社")
    dashboard = manager.get(f"/engagements/{engagement_id}")
    survey = re.search(r"/a/([\w-]{30,})/profile", dashboard.text)
    assert survey, dashboard.text[:500]
    client = Browserless(server.url)
    funnel_url = f"/a/{survey.group(1)}/funnel"
    funnel_token = client.get(funnel_url).csrf()
    consensus_url = f"/engagements/{engagement_id}/consensus"
    consensus_token = manager.get(consensus_url).csrf()
    answers = ("yes", "partial", "no", "unknown")
    lost = []
    for number in range(1, ROUNDS // 2 + 1):
        finals = {f"final-{item.id}": answers[(number + i) % 4] for i, item in enumerate(CONTENT.checklist.items)}
        replies = race(
            (manager, consensus_url, {"csrf_token": consensus_token, **finals}),
            (client, funnel_url, {"csrf_token": funnel_token, "survey__funnel__wins": str(number), "action": "back"}),
        )
        assert all(reply.status == 200 for reply in replies), [(r.status, r.url) for r in replies]
        saved = yaml.safe_load(manager.get(f"/engagements/{engagement_id}/export/assessment.yaml").body)
        expected = {item.id: finals[f"final-{item.id}"] for item in CONTENT.checklist.items}
        if saved["checklist"] != expected or saved["survey"]["funnel"].get("wins") != number:
            lost.append(number)
    assert lost == [], f"final answers or the funnel were lost in rounds {lost}"
