"""A manager's team, without a consultant: the manager invites colleagues per department, they answer on the
respondent pages, the results show each department's view, the gaps and the proposed consensus, and the manager
sets the final answers after seeing what changes. The links behave like a workshop's: expiry, revocation,
per-diagnosis limits, and nothing of the manager's diagnosis beyond the company's name.

The manager's diagnosis is the bundled sample (its answers, comments and figures are what must not leak)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from assessment.documents import load_document
from assessment.web import store
from assessment.web.models import Respondent, SelfAssessment, db
from assessment.web.purge import purge
from tests.web import SAMPLE_PATH, csrf_token, error_summary, fetch_csrf, parse, text, translate, visible_text

MQL = "org.mql_definition"
HANDOFF = "org.handoff_rules"
FIRST_PAGE = "checklist-organization"
SAMPLE = load_document(SAMPLE_PATH.read_bytes())
COMPANY = SAMPLE["client"]["name"]
# What a colleague must never see: the manager's own comments and figures (the sample's).
SECRETS = ["営業とマーケで定義が一致していない", "Salesforce と HubSpot Sales Hub を比較検討中", "HubSpot"]


@dataclass
class Team:
    """An app, the manager's browser and token, and a way to invite and answer."""

    app: Flask
    manager: FlaskClient
    token: str

    @property
    def base(self) -> str:
        return f"/a/{self.token}"

    def post(self, url: str, data: dict[str, str], page: str | None = None) -> TestResponse:
        """POST as the manager, with the CSRF token of ``page`` (the team page by default)."""
        return self.manager.post(
            url, data={"csrf_token": fetch_csrf(self.manager, page or f"{self.base}/team"), **data}
        )

    def invite(self, department: str, name: str = "", days: str = "14") -> Respondent:
        reply = self.post(f"{self.base}/team/links", {"department": department, "name": name, "days": days})
        assert reply.status_code == 302, visible_text(reply)[:500]
        return respondent(self.app, int(reply.location.rsplit("#link-", 1)[1]))

    def stored(self) -> dict[str, Any]:
        with self.app.app_context():
            return store.load(self.token).document


def respondent(app: Flask, respondent_id: int) -> Respondent:
    with app.app_context():
        row = db.session.get(Respondent, respondent_id)
        assert row is not None
        db.session.expunge(row)
        return row


def new_team(app: Flask, document: dict[str, Any] | None = None) -> Team:
    with app.app_context():
        token = store.create(dict(document or SAMPLE)).token
    return Team(app, app.test_client(), token)


def answer(app: Flask, token: str, answers: dict[str, str], comment: str = "") -> FlaskClient:
    """A colleague in their own browser answers the first page (every statement ``yes`` unless given)."""
    colleague = app.test_client()
    start = colleague.get(f"/r/{token}")
    assert start.status_code == 302 and start.location.endswith(f"/r/{token}/{FIRST_PAGE}"), start.location
    page = colleague.get(start.location)
    names = [n for n in parse(page).radios if n.startswith("checklist__")]
    data = {n: answers.get(n.removeprefix("checklist__").replace("__", "."), "yes") for n in names}
    if comment:
        data["comments__" + MQL.replace(".", "__")] = comment
    saved = colleague.post(start.location, data={"csrf_token": csrf_token(page), "action": "next", **data})
    assert saved.status_code == 302, visible_text(saved)[:400]
    return colleague


@pytest.fixture
def team(app: Flask) -> Team:
    return new_team(app)


def test_the_review_and_results_pages_lead_to_the_team_page(team: Team) -> None:
    assert f'href="{team.base}/team"' in text(team.manager.get(f"{team.base}/review"))
    results = team.manager.get(f"{team.base}/results")
    assert f'href="{team.base}/team"' in text(results)
    assert 'id="team-views"' in text(results)
    page = team.manager.get(f"{team.base}/team")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert translate(team.app, "Your team's views") in visible_text(page)


def test_a_colleague_answers_and_the_manager_sees_each_departments_view(team: Team) -> None:
    marketing = team.invite("marketing", "Mika")
    field_sales = team.invite("field_sales")
    page = visible_text(team.manager.get(f"{team.base}/team"))
    assert "Mika" in page and page.count(translate(team.app, "not answered yet")) == 2
    assert f"http://localhost/r/{marketing.token}" in text(team.manager.get(f"{team.base}/team"))

    answer(team.app, marketing.token, {MQL: "yes", HANDOFF: "yes"})
    answer(team.app, field_sales.token, {MQL: "no", HANDOFF: "no"})
    page = visible_text(team.manager.get(f"{team.base}/team"))
    assert translate(team.app, "not answered yet") not in page
    assert page.count("20問中10問") == 2  # the first page's statements, and when they were saved
    assert re.search(r"最終回答：\S+", page)

    results = team.manager.get(f"{team.base}/results")
    assert results.status_code == 200
    section = text(results).split('id="team-views"', 1)[1]
    views = visible_text(section)
    assert "マーケティング: はい" in views and "フィールドセールス: いいえ" in views
    assert "マーケティング: はい （はい1）" in views  # each department's spread, as on the consensus page
    mql = team.app.extensions["readiness.content"].checklist.item(MQL).text.ja
    gaps = section.split('class="data gaps"', 1)[1].split("</table>", 1)[0]
    assert mql in visible_text(gaps)  # the perception gap, through the view's perception (as the PDF has it)
    assert 'href="' + f"{team.base}/team/final" + '"' in section


def test_the_diagnosis_reads_the_team_like_a_workshop_round(team: Team) -> None:
    """The manager's answers are the final ones; a statement they left open takes the departments' consensus, and
    the diagnosis's perception (the PDF's too) lists the departments."""
    from assessment import diagnose
    from assessment.web import current
    from assessment.web.team.section import team_document

    document = {k: v for k, v in SAMPLE.items() if k != "checklist"} | {"checklist": {HANDOFF: "yes"}}
    team = new_team(team.app, document)
    colleague = team.invite("inside_sales")
    answer(team.app, colleague.token, {MQL: "partial", HANDOFF: "no"})
    with team.app.test_request_context("/"):
        row = store.find(team.token)
        combined = team_document(row)
        diagnosis = diagnose(current.parsed(combined), current.content())
    assert combined["checklist"][MQL] == "partial" and combined["checklist"][HANDOFF] == "yes"
    assert diagnosis.perception is not None and diagnosis.perception.departments == ("inside_sales",)
    assert team.stored()["checklist"] == {HANDOFF: "yes"}  # nothing written into the manager's answers


def test_a_colleague_sees_the_company_name_and_nothing_else_of_the_diagnosis(team: Team) -> None:
    first = team.invite("marketing", "Aiko 一")
    other = team.invite("customer_success", "Other Person")
    answer(team.app, other.token, {}, comment="other person's comment")
    colleague = answer(team.app, first.token, {MQL: "no"})
    pages = [colleague.get(f"/r/{first.token}/{page}") for page in (FIRST_PAGE, "checklist-tools", "checklist-data")]
    pages.append(colleague.get(f"/r/{first.token}/done"))
    for page in pages:
        assert page.status_code == 200
        body = text(page)
        assert COMPANY in body
        assert team.token not in body and other.token not in body
        for secret in [*SECRETS, "Other Person", "other person's comment", "/a/", "/results", "/team"]:
            assert secret not in body, secret
    first_page = visible_text(pages[0])
    assert translate(team.app, "Only your answers and comments are saved with this link. It does not show anyone "
                     "else's answers.") in first_page  # fmt: skip
    assert "ワークショップ" not in first_page + visible_text(pages[-1])  # no workshop words for a colleague


def test_revoking_keeps_the_answers_out_until_reopened_and_extend_moves_the_expiry(team: Team) -> None:
    colleague = team.invite("field_sales")
    answer(team.app, colleague.token, {MQL: "no"})
    team_page = text(team.manager.get(f"{team.base}/team"))
    assert "data-confirm=" in team_page.split(f'id="link-{colleague.id}"', 1)[1].split("</tr>", 1)[0]

    assert team.post(f"{team.base}/team/links/{colleague.id}/revoke", {}).status_code == 302
    closed = team.app.test_client().get(f"/r/{colleague.token}/{FIRST_PAGE}")
    assert closed.status_code == 410
    assert translate(team.app, "Please ask the colleague who sent it to you for a new link.") in visible_text(closed)
    assert respondent(team.app, colleague.id).answers  # kept
    results = visible_text(team.manager.get(f"{team.base}/results"))
    assert "フィールドセールス: いいえ" not in results  # but no longer counted

    assert team.post(f"{team.base}/team/links/{colleague.id}/extend", {}).status_code == 302  # reopen
    assert team.app.test_client().get(f"/r/{colleague.token}/{FIRST_PAGE}").status_code == 200
    assert "フィールドセールス: いいえ" in visible_text(team.manager.get(f"{team.base}/results"))

    before = respondent(team.app, colleague.id).expires_at
    assert team.post(f"{team.base}/team/links/{colleague.id}/extend", {}).status_code == 302
    after = respondent(team.app, colleague.id).expires_at
    assert timedelta(days=13) < after - before <= timedelta(days=14, seconds=5)


def test_an_expired_link_is_closed_and_can_be_extended(team: Team) -> None:
    colleague = team.invite("marketing")
    with team.app.app_context():
        row = db.session.get(Respondent, colleague.id)
        row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    assert team.app.test_client().get(f"/r/{colleague.token}").status_code == 410
    assert translate(team.app, "expired") in visible_text(team.manager.get(f"{team.base}/team"))
    assert team.post(f"{team.base}/team/links/{colleague.id}/extend", {}).status_code == 302
    assert team.app.test_client().get(f"/r/{colleague.token}").status_code == 302


def test_a_diagnosis_takes_a_limited_number_of_links(make_app: Callable[..., Flask]) -> None:
    team = new_team(make_app(READINESS_MAX_TEAM_RESPONDENTS=2))
    first = team.invite("marketing")
    team.invite("inside_sales")
    assert team.post(f"{team.base}/team/links/{first.id}/revoke", {}).status_code == 302  # revoked still count
    refused = team.post(f"{team.base}/team/links", {"department": "field_sales", "name": "", "days": "14"})
    assert refused.status_code == 422
    summary = error_summary(refused)
    assert translate(team.app, "Department") in summary and "2" in summary
    with team.app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Respondent)) == 2


def test_creating_links_is_rate_limited_per_diagnosis(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, READINESS_MAX_TEAM_RESPONDENTS=100)
    team = new_team(app)
    url = f"{team.base}/team/links"
    for attempt in range(20):
        assert team.manager.post(url, data={"department": "other", "days": "1"}).status_code == 302, attempt
    assert team.manager.post(url, data={"department": "other", "days": "1"}).status_code == 429
    other = new_team(app)  # another diagnosis is not held up by this one
    assert other.manager.post(f"{other.base}/team/links", data={"department": "other", "days": "1"}).status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"department": "ceo_of_everything"}, "Department", "Not a valid choice."),
        ({"department": ""}, "Department", "This field is required."),
        ({"name": "名" * 201}, "Name (optional)", "200"),
        ({"days": "1000"}, "Valid for (days)", "Number must be between %(min)s and %(max)s."),
        ({"days": "<b>"}, "Valid for (days)", "Not a valid integer value."),
    ],
)
def test_hostile_input_on_the_team_page_is_refused_naming_the_field(
    team: Team, data: dict[str, str], field: str, message: str
) -> None:
    reply = team.post(f"{team.base}/team/links", {"department": "marketing", "name": "", "days": "14", **data})
    assert reply.status_code == 422
    summary = error_summary(reply)
    assert translate(team.app, field) in summary
    assert translate(team.app, message).split("%", 1)[0] in summary
    with team.app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Respondent)) == 0


def test_markup_in_a_name_is_shown_as_text(team: Team) -> None:
    colleague = team.invite("marketing", '<script>alert(1)</script><b onclick="x">Bo</b>')
    for page in (
        team.manager.get(f"{team.base}/team"),
        team.app.test_client().get(f"/r/{colleague.token}/{FIRST_PAGE}"),
    ):
        body = text(page)
        assert "<script>alert" not in body and "<b onclick" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_final_answers_show_what_changes_then_save_only_that(team: Team) -> None:
    """The sample's manager says MQL "partial" and handoff "no"; marketing and field sales both say MQL "yes"."""
    for department in ("marketing", "field_sales"):
        answer(team.app, team.invite(department).token, {MQL: "yes", HANDOFF: "no"})
    final_url = f"{team.base}/team/final"
    form = team.manager.get(final_url)
    assert form.status_code == 200
    selected = re.search(rf'<select id="final-{re.escape(MQL)}".*?</select>', text(form), re.S)
    assert selected and 'value="yes" selected' in selected.group(0)  # the proposed consensus, preselected
    fields = {**parse(form).hidden, **{f"final-{MQL}": "yes", f"final-{HANDOFF}": "no"}}
    preview = team.manager.post(final_url, data={**fields, "action": "preview"})
    assert preview.status_code == 200
    changes = visible_text(preview.get_data(as_text=True).split('id="changes"', 1)[1])
    mql = team.app.extensions["readiness.content"].checklist.item(MQL).text.ja
    assert re.search(re.escape(mql) + r"\s+一部\s+はい", changes)  # before, after
    assert team.app.extensions["readiness.content"].checklist.item(HANDOFF).text.ja not in changes  # unchanged
    assert team.stored()["checklist"][MQL] == "partial"  # nothing saved yet

    confirm = parse(preview).hidden
    saved = team.manager.post(final_url, data={**confirm, "action": "save"})
    assert saved.status_code == 302 and saved.location.endswith("/results#team-views")
    stored = team.stored()
    assert stored["checklist"][MQL] == "yes" and stored["checklist"][HANDOFF] == "no"
    assert stored["comments"] == SAMPLE["comments"]  # the manager's comments are not touched
    assert "1件の回答を変更しました" in visible_text(team.manager.get(f"{team.base}/results"))


def test_the_final_answers_page_shows_what_colleagues_wrote(team: Team) -> None:
    answer(team.app, team.invite("inside_sales", "Ina").token, {MQL: "no"}, comment="<i>定義は口頭だけ</i>")
    page = text(team.manager.get(f"{team.base}/team/final"))
    item = page.split(f'id="item-{MQL}"', 1)[1].split("</fieldset>", 1)[0]
    assert "&lt;i&gt;定義は口頭だけ&lt;/i&gt;" in item and "インサイドセールス · Ina" in item


def test_a_final_answer_changed_elsewhere_meanwhile_is_kept_and_shown(team: Team) -> None:
    answer(team.app, team.invite("marketing").token, {MQL: "yes"})
    final_url = f"{team.base}/team/final"
    form = team.manager.get(final_url)
    fields = {**parse(form).hidden, f"final-{MQL}": "yes"}
    preview = team.manager.post(final_url, data={**fields, "action": "preview"})

    def elsewhere(read: store.Stored) -> tuple[dict[str, Any], dict[str, Any], None]:
        read.document["checklist"][MQL] = "no"  # the manager's other tab, on the questionnaire
        return read.document, read.drafts, None

    with team.app.test_request_context("/"):
        store.update(team.token, elsewhere)
    reply = team.manager.post(final_url, data={**parse(preview).hidden, "action": "save"})
    assert reply.status_code == 409
    assert team.stored()["checklist"][MQL] == "no"
    conflict = visible_text(text(reply).split('id="conflicts"', 1)[1].split("</div>", 1)[0])
    assert "いいえ" in conflict and "はい" in conflict


def test_a_final_answer_outside_the_choices_is_refused_naming_the_statement(team: Team) -> None:
    answer(team.app, team.invite("marketing").token, {})
    final_url = f"{team.base}/team/final"
    form = team.manager.get(final_url)
    reply = team.manager.post(
        final_url, data={**parse(form).hidden, f"final-{MQL}": "<b>maybe</b>", "final-not.an.item": "yes",
                         "action": "save"},
    )  # fmt: skip
    assert reply.status_code == 422
    summary = error_summary(reply)
    assert team.app.extensions["readiness.content"].checklist.item(MQL).text.ja in summary
    assert translate(team.app, "Choose one of the answers offered.") in summary
    assert "<b>maybe" not in text(reply)
    assert team.stored()["checklist"] == SAMPLE["checklist"]


def test_the_final_answers_page_before_anyone_answered_says_so(team: Team) -> None:
    page = team.manager.get(f"{team.base}/team/final")
    assert page.status_code == 200
    assert translate(team.app, "Nobody on your team has answered yet. Once a colleague has, their department's "
                     "view and the proposed consensus appear here.") in visible_text(page)  # fmt: skip


def test_purge_removes_a_diagnosis_with_its_team_links(team: Team, tmp_path: Any) -> None:
    answer(team.app, team.invite("marketing").token, {})
    with team.app.app_context():
        db.session.execute(db.update(SelfAssessment).values(updated_at=datetime.now(UTC) - timedelta(days=400)))
        db.session.commit()
        done = purge(180, tmp_path, 10**9)
        assert done.assessments == 1
        assert db.session.scalar(select(db.func.count()).select_from(Respondent)) == 0


def test_an_expired_form_on_the_final_answers_page_keeps_the_choices_and_saves_nothing(team: Team) -> None:
    answer(team.app, team.invite("marketing").token, {MQL: "no"})
    reply = team.manager.post(f"{team.base}/team/final", data={f"final-{MQL}": "unknown", "action": "save"})
    assert reply.status_code == 200
    chosen = re.search(rf'<select id="final-{re.escape(MQL)}".*?</select>', text(reply), re.S)
    assert chosen and 'value="unknown" selected' in chosen.group(0)
    assert team.stored()["checklist"][MQL] == SAMPLE["checklist"][MQL]
