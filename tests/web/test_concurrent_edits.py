"""Two people editing one round's shared forms: nothing either saved is silently lost.

Each form carries the value every field showed when it was opened. A field someone else changed meanwhile is
kept, and the second person is shown the conflict (409) with both values; everything else they changed is
saved. A stale form that changed nothing overwrites nothing. These run on the test client, one request after
the other, so the interleaving is exact; tests/e2e/test_concurrent_saves.py races the real server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from assessment import load_content
from tests.web import build_app, consultant_client, dispose, new_workshop_round, text, visible_text

CONTENT = load_content()
MQL, SQL, HANDOFF = "org.mql_definition", "org.sql_definition", "org.handoff_rules"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("edits"), web_cache_dir, WTF_CSRF_ENABLED=False)
    yield app
    dispose(app)


@pytest.fixture
def tabs(app: Flask) -> tuple[FlaskClient, FlaskClient]:
    """The same consultant in two browser tabs (or two laptops signed in to one account)."""
    return consultant_client(app, "edits@example.com"), consultant_client(app, "edits@example.com")


def form_of(html: str) -> dict[str, str]:
    """What the browser would send back unchanged: selected options, textareas and hidden inputs."""
    data: dict[str, str] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name, body in re.findall(r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, value in re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = value
    return data


def stored(client: FlaskClient, engagement: int) -> dict[str, object]:
    return yaml.safe_load(client.get(f"/engagements/{engagement}/export/assessment.yaml").data)  # type: ignore[no-any-return]


def test_different_items_saved_from_two_stale_forms_are_both_kept(tabs: tuple[FlaskClient, FlaskClient]) -> None:
    first, second = tabs
    engagement = new_workshop_round(first, "二画面株式会社")
    url = f"/engagements/{engagement}/consensus"
    form_one, form_two = form_of(text(first.get(url))), form_of(text(second.get(url)))
    assert first.post(url, data={**form_one, f"final-{MQL}": "yes", f"note-{MQL}": "合意済み"}).status_code == 302
    assert second.post(url, data={**form_two, f"final-{SQL}": "no"}).status_code == 302  # opened before the save
    document = stored(first, engagement)
    assert document["checklist"] == {MQL: "yes", SQL: "no"}  # type: ignore[index]
    assert document["comments"] == {MQL: "合意済み"}  # type: ignore[index]


def test_the_same_item_changed_by_both_shows_the_conflict_and_keeps_the_first(
    tabs: tuple[FlaskClient, FlaskClient],
) -> None:
    first, second = tabs
    engagement = new_workshop_round(first, "衝突株式会社")
    url = f"/engagements/{engagement}/consensus"
    form_one, form_two = form_of(text(first.get(url))), form_of(text(second.get(url)))
    first.post(url, data={**form_one, f"final-{MQL}": "yes"})
    reply = second.post(url, data={**form_two, f"final-{MQL}": "no", f"final-{HANDOFF}": "partial"})
    assert reply.status_code == 409
    page = visible_text(text(reply))
    assert "他の人が保存しました" in page or "Someone else saved" in page
    assert "現在の保存内容: はい。あなたの選択: いいえ。" in page
    assert stored(first, engagement)["checklist"] == {MQL: "yes", HANDOFF: "partial"}  # the other change is saved
    # Sending the shown form again means "mine, knowingly": the base is now the stored value.
    again = second.post(url, data={**form_of(text(reply)), f"final-{MQL}": "no"})
    assert again.status_code == 302
    assert stored(first, engagement)["checklist"] == {MQL: "no", HANDOFF: "partial"}  # type: ignore[index]


def test_a_stale_narrative_form_overwrites_only_the_sections_it_changed(
    tabs: tuple[FlaskClient, FlaskClient],
) -> None:
    first, second = tabs
    engagement = new_workshop_round(first, "提案書株式会社")
    url = f"/engagements/{engagement}/proposal"
    form_one, form_two = form_of(text(first.get(url))), form_of(text(second.get(url)))
    assert first.post(url, data={**form_one, "note-risks": "Aの書いたリスク", "action": "save"}).status_code == 302
    reply = second.post(url, data={**form_two, "note-funnel": "Bの書いたファネル", "action": "save"})
    assert reply.status_code == 302
    assert stored(first, engagement)["notes"] == {"risks": "Aの書いたリスク", "funnel": "Bの書いたファネル"}  # type: ignore[index]

    form_one, form_two = form_of(text(first.get(url))), form_of(text(second.get(url)))
    first.post(url, data={**form_one, "note-risks": "Aの改訂", "action": "save"})
    clash = second.post(url, data={**form_two, "note-risks": "Bの改訂", "plan-start": "2027-01-04", "action": "ja"})
    assert clash.status_code == 409  # and no proposal was generated from a half-merged narrative
    body = text(clash)
    assert "Bの改訂" in body and ">Aの改訂</textarea>" in body
    assert "まだ" in visible_text(body) or "No proposal generated yet." in body
    document = stored(first, engagement)
    assert document["notes"]["risks"] == "Aの改訂" and document["plan"] == {"start": "2027-01-04"}  # type: ignore[index]


def test_the_clients_survey_link_never_touches_the_final_answers(
    app: Flask, tabs: tuple[FlaskClient, FlaskClient]
) -> None:
    consultant, _ = tabs
    engagement = new_workshop_round(consultant, "調査リンク株式会社")
    url = f"/engagements/{engagement}/consensus"
    form = form_of(text(consultant.get(url)))
    dashboard = text(consultant.get(f"/engagements/{engagement}"))
    token = re.search(r"/a/([\w-]{30,})/profile", dashboard).group(1)  # type: ignore[union-attr]
    client = app.test_client()
    finals = {f"final-{item.id}": "partial" for item in CONTENT.checklist.items}
    assert consultant.post(url, data={**form, **finals}).status_code == 302
    reply = client.post(f"/a/{token}/funnel", data={"survey__funnel__leads": "900", "action": "next"})
    assert reply.status_code == 302
    # A survey link posting checklist fields to a page it does not have is refused and writes nothing.
    assert (
        client.post(f"/a/{token}/checklist-organization", data={"checklist__org__mql_definition": "no"}).status_code
        == 404
    )
    document = stored(consultant, engagement)
    assert document["checklist"] == {item.id: "partial" for item in CONTENT.checklist.items}  # type: ignore[index]
    assert document["survey"]["funnel"]["leads"] == 900  # type: ignore[index]
