"""Issue 16, a firm workspace: sharing a client with colleagues of the same firm, on the client's page.

The owner shares with an active colleague (chosen from the firm, never a typed id from outside it) as
co-facilitator or reviewer, changes the role and stops sharing; each step is in the client's history. A
co-facilitator changes the rounds like the owner; a reviewer reads. Deleting a shared client removes its shares.
Isolation on every route is in test_firm_isolation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from assessment.web.models import AuditEntry, Client, ClientShare, Engagement, Respondent, db
from tests.web import dispose, error_summary, field_errors, text, translate, visible_text
from tests.web.firm_world import X_CLIENT, Firms, build_firms
from tests.web.test_workshop_isolation import id_of, post_form


@pytest.fixture
def firms(tmp_path: Path, web_cache_dir: Path) -> Iterator[Firms]:
    built = build_firms(tmp_path / "firms", web_cache_dir)
    yield built
    dispose(built.app)


def shares(firms: Firms) -> list[tuple[int, str]]:
    with firms.app.app_context():
        query = select(ClientShare).filter_by(client_id=firms.client_id).order_by(ClientShare.consultant_id)
        return [(s.consultant_id, s.role) for s in db.session.execute(query).scalars()]


def history(firms: Firms) -> list[tuple[str, str]]:
    with firms.app.app_context():
        query = select(AuditEntry).filter_by(client_id=firms.client_id).order_by(AuditEntry.id)
        return [(e.action, e.detail) for e in db.session.execute(query).scalars()]


def test_the_owner_shares_changes_the_role_and_stops_sharing(firms: Firms) -> None:
    ada, ids = firms["ada"], firms.ids
    url = f"/clients/{firms.client_id}"
    page = ada.get(url)
    offered = text(page).split('id="colleague"')[1].split("</select>")[0]
    assert f'value="{ids["nell"]}"' in offered  # the colleague not sharing yet
    for who in ("ada", "fay", "rex", "yuri", "zed"):  # herself, those already sharing, another firm
        assert f'value="{ids[who]}"' not in offered, who
    assert post_form(ada, url, f"{url}/shares", {"colleague": str(ids["nell"]), "role": "reviewer"}).status_code == 302
    assert (ids["nell"], "reviewer") in shares(firms)
    nell = firms["nell"]
    assert X_CLIENT in visible_text(nell.get("/clients"))
    assert nell.get(url).status_code == 200

    changed = post_form(ada, url, f"{url}/shares/{ids['nell']}/role", {"role": "facilitator"})
    assert changed.status_code == 302 and (ids["nell"], "facilitator") in shares(firms)
    new_round = post_form(nell, url, url, {"title": "Nell's round", "held_on": "2026-06-01"})
    assert new_round.status_code == 302  # a co-facilitator starts rounds

    stopped = post_form(ada, url, f"{url}/shares/{ids['nell']}/remove", {})
    assert stopped.status_code == 302 and ids["nell"] not in [who for who, _role in shares(firms)]
    assert nell.get(url).status_code == 404
    assert nell.get(new_round.location).status_code == 404  # the round she started is the client's, not hers
    assert X_CLIENT not in text(nell.get("/clients"))
    actions = [action for action, _detail in history(firms) if action.startswith("client.")]
    assert actions[-3:] == ["client.share", "client.share_role", "client.unshare"]
    assert history(firms)[-1] == ("client.unshare", f"#{ids['nell']}")  # the detail names no person
    shown = visible_text(ada.get(url))
    for label in ("Client shared with a colleague", "Colleague's role on the client changed",
                  "Client no longer shared with a colleague"):  # fmt: skip
        assert translate(firms.app, label) in shown


@pytest.mark.parametrize("who", ["zed", "yuri", "ada", "fay", "unknown"])
def test_only_an_active_colleague_of_the_firm_not_yet_sharing_can_be_chosen(firms: Firms, who: str) -> None:
    before = shares(firms)
    colleague = str(firms.ids.get(who, 10**6))
    url = f"/clients/{firms.client_id}"
    refused = post_form(firms["ada"], url, f"{url}/shares", {"colleague": colleague, "role": "reviewer"})
    assert refused.status_code == 422
    assert field_errors(refused)["colleague"] == translate(firms.app, "Not a valid choice.")
    assert translate(firms.app, "Not a valid choice.") in error_summary(refused)
    assert shares(firms) == before


def test_a_deactivated_colleague_is_not_offered(firms: Firms) -> None:
    post_form(firms["ada"], "/firm/accounts", f"/firm/accounts/{firms.ids['nell']}/deactivate", {})
    url = f"/clients/{firms.client_id}"
    assert f'value="{firms.ids["nell"]}"' not in text(firms["ada"].get(url))
    refused = post_form(firms["ada"], url, f"{url}/shares", {"colleague": str(firms.ids["nell"]), "role": "reviewer"})
    assert refused.status_code == 422


def test_a_wrong_role_or_share_is_refused(firms: Firms) -> None:
    before = shares(firms)
    url = f"/clients/{firms.client_id}"
    ada = firms["ada"]
    wrong = post_form(ada, url, f"{url}/shares", {"colleague": str(firms.ids["nell"]), "role": "owner"})
    assert wrong.status_code == 422 and field_errors(wrong)["role"] == translate(firms.app, "Not a valid choice.")
    wrong = post_form(ada, url, f"{url}/shares/{firms.ids['rex']}/role", {"role": "admin"})
    assert wrong.status_code == 422
    assert post_form(ada, url, f"{url}/shares/{firms.ids['nell']}/role", {"role": "reviewer"}).status_code == 404
    assert post_form(ada, url, f"{url}/shares/{firms.ids['nell']}/remove", {}).status_code == 404
    assert shares(firms) == before


def test_a_co_facilitator_changes_the_rounds(firms: Firms) -> None:
    fay = firms["fay"]
    url = f"/engagements/{firms.engagement_id}"
    page = fay.get(url)
    assert page.status_code == 200 and "閲覧のみ" not in visible_text(page) and "/invites" in text(page)
    edited = post_form(fay, f"{url}/edit", f"{url}/edit", {"title": "Renamed by Fay", "held_on": "2026-03-02"})
    assert edited.status_code == 302
    invited = post_form(fay, url, f"{url}/invites", {"department": "marketing", "name": "Fay's guest", "days": "7"})
    assert invited.status_code == 302
    assert post_form(fay, url, f"{url}/join", {"open": "0"}).status_code == 302
    assert post_form(fay, url, f"{url}/close", {}).status_code == 302
    with firms.app.app_context():
        engagement = db.session.get(Engagement, firms.engagement_id)
        assert engagement is not None
        assert (engagement.title, engagement.join_open) == ("Renamed by Fay", False)
        assert engagement.closed_at is not None
        guests = db.session.execute(select(Respondent).filter_by(name="Fay's guest")).scalars().all()
        assert len(guests) == 1
    who = {action: consultant for action, consultant in audit_by(firms)}
    assert who["round.edit"] == firms.ids["fay"]


def audit_by(firms: Firms) -> list[tuple[str, int | None]]:
    with firms.app.app_context():
        query = select(AuditEntry).filter_by(client_id=firms.client_id).order_by(AuditEntry.id)
        return [(e.action, e.consultant_id) for e in db.session.execute(query).scalars()]


def test_deleting_a_shared_client_removes_its_shares(firms: Firms) -> None:
    ada = firms["ada"]
    url = f"/clients/{firms.client_id}"
    assert ada.get(f"{url}/delete").status_code == 200
    deleted = post_form(ada, f"{url}/delete", f"{url}/delete", {})
    assert deleted.status_code == 302
    with firms.app.app_context():
        assert db.session.get(Client, firms.client_id) is None
        assert db.session.execute(select(ClientShare)).scalars().all() == []
    for who in ("fay", "rex"):
        assert firms[who].get(url).status_code == 404
        assert X_CLIENT not in text(firms[who].get("/clients"))


def test_a_shared_archived_client_is_listed_without_the_owners_restore_button(firms: Firms) -> None:
    ada = firms["ada"]
    url = f"/clients/{firms.client_id}"
    assert post_form(ada, url, f"{url}/archive", {"archived": "1"}).status_code == 302
    for who in ("fay", "rex"):
        listing = text(firms[who].get("/clients"))
        archived = listing.split('class="links archived"')[1]
        assert X_CLIENT in archived and f"{url}/archive" not in archived, who
    assert f"{url}/archive" in text(ada.get("/clients")).split('class="links archived"')[1]


def test_a_new_client_of_a_co_facilitator_is_theirs_alone(firms: Firms) -> None:
    fay = firms["fay"]
    created = post_form(fay, "/clients", "/clients", {"name": "Fay's own client"})
    client_id = id_of(created.location)
    assert firms["ada"].get(f"/clients/{client_id}").status_code == 404
    assert fay.get(f"/clients/{client_id}").status_code == 200
