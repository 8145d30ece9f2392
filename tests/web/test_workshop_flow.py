"""The consultant's round from the inside: consensus and final answers, results with perception gaps,
re-assessment against the previous round, archived proposals that reproduce, and the exports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from werkzeug.http import parse_options_header

from assessment import diagnose, load_content, parse_assessment
from assessment.web.accounts import create_consultant
from assessment.web.models import Proposal, db
from tests.web import build_app, dispose, text, visible_text

CONTENT = load_content()
MQL = "org.mql_definition"
HANDOFF = "org.handoff_rules"
ITEMS = [item.id for item in CONTENT.checklist.items]


def field(item_id: str) -> str:
    return "checklist__" + item_id.replace(".", "__")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("workshop"), web_cache_dir, WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120)
    with app.app_context():
        create_consultant("flow@example.com", "flow-password-123", "佐藤 花子")
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    client = app.test_client()
    reply = client.post("/login", data={"email": "flow@example.com", "password": "flow-password-123"})
    assert reply.status_code == 302
    return client


def new_client(consultant: FlaskClient, name: str) -> int:
    reply = consultant.post("/clients", data={"name": name})
    return int(reply.location.rsplit("/", 1)[1])


def new_round(consultant: FlaskClient, client_id: int, title: str, held_on: str) -> int:
    reply = consultant.post(f"/clients/{client_id}", data={"title": title, "held_on": held_on})
    assert reply.status_code == 302, text(reply)[:500]
    return int(reply.location.rsplit("/", 1)[1])


def answer(app: Flask, consultant: FlaskClient, engagement_id: int, department: str, answers: dict[str, str]) -> str:
    """A respondent answers through their own link (a fresh client: no consultant cookie)."""
    reply = consultant.post(
        f"/engagements/{engagement_id}/invites", data={"department": department, "name": department, "days": "3"}
    )
    assert reply.status_code == 302
    tokens = re.findall(r"/r/([\w-]{30,})\"", text(consultant.get(f"/engagements/{engagement_id}")))
    token = tokens[-1]
    person = app.test_client()
    for axis in ("organization", "tools", "data"):
        data = {field(i.id): answers.get(i.id, "yes") for i in CONTENT.checklist.items if i.axis == axis}
        reply = person.post(f"/r/{token}/checklist-{axis}", data={**data, "action": "next"})
        assert reply.status_code == 302, text(reply)[:800]
    return token


def test_consensus_final_answers_and_results(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, new_client(consultant, "合意形成株式会社"), "第1回", "2026-10-01")
    answer(app, consultant, engagement, "marketing", {MQL: "yes", HANDOFF: "yes"})
    answer(app, consultant, engagement, "field_sales", {MQL: "no", HANDOFF: "no"})

    page = text(consultant.get(f"/engagements/{engagement}/consensus"))
    assert page.count('class="consensus-item gap"') == 2
    assert CONTENT.checklist.item(MQL).text.ja in page

    # A bad final answer is refused with the item named, and nothing is saved.
    bad = consultant.post(f"/engagements/{engagement}/consensus", data={f"final-{MQL}": "maybe"})
    assert bad.status_code == 422 and f'href="#item-{MQL}"' in text(bad)
    too_long = consultant.post(f"/engagements/{engagement}/consensus", data={f"note-{MQL}": "x" * 2001})
    assert too_long.status_code == 422

    saved = consultant.post(
        f"/engagements/{engagement}/consensus",
        data={f"final-{MQL}": "partial", f"note-{MQL}": "<b>定義はあるが運用されていない</b>"},
    )
    assert saved.status_code == 302
    page = text(consultant.get(f"/engagements/{engagement}/consensus"))
    assert '<option value="partial" selected>' in page
    assert "&lt;b&gt;定義はあるが運用されていない&lt;/b&gt;" in page and "<b>定義" not in page

    exported = consultant.get(f"/engagements/{engagement}/export/assessment.yaml")
    document = yaml.safe_load(exported.data)
    assert document["checklist"][MQL] == "partial"  # the final answer
    assert document["checklist"][HANDOFF] == "no"  # the proposed consensus (lower median)
    assert document["comments"][MQL] == "<b>定義はあるが運用されていない</b>"
    assert {r["department"] for r in document["respondents"]} == {"marketing", "field_sales"}
    diagnosis = diagnose(parse_assessment(document, CONTENT), CONTENT)
    assert diagnosis.perception is not None and {v.item_id for v in diagnosis.perception.gaps} == {MQL, HANDOFF}
    assert "lead_quality" in {f.rule_id for f in diagnosis.findings}  # the MQL gap is evidence for it

    results = text(consultant.get(f"/engagements/{engagement}/results"))
    assert CONTENT.checklist.item(HANDOFF).text.ja in results
    assert "マーケティング" in results and "フィールドセールス" in results


def test_exports_read_back(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, new_client(consultant, "エクスポート株式会社"), "第1回", "2026-10-01")
    answer(app, consultant, engagement, "marketing", {MQL: "yes"})
    answer(app, consultant, engagement, "customer_success", {MQL: "unknown", HANDOFF: "partial"})

    reply = consultant.get(f"/engagements/{engagement}/export/respondents.csv")
    assert reply.mimetype == "text/csv" and "attachment" in reply.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.data.decode("utf-8-sig"))))
    assert len(rows) == 2 * len(ITEMS)
    mine = {(r["部門ID"], r["項目ID"]): r["回答ID"] for r in rows}
    assert mine[("marketing", MQL)] == "yes" and mine[("customer_success", MQL)] == "unknown"
    assert mine[("customer_success", HANDOFF)] == "partial"

    reply = consultant.get(f"/engagements/{engagement}/export/workbook.xlsx?lang=en")
    workbook = load_workbook(io.BytesIO(reply.data))
    assert workbook.sheetnames == ["Respondents", "Consensus"]
    consensus = list(workbook["Consensus"].iter_rows(values_only=True))
    header = consensus[0]
    assert header[:4] == ("Item number", "Item id", "Axis", "Item")
    by_item = {row[1]: dict(zip(header, row, strict=True)) for row in consensus[1:]}
    assert set(by_item) == set(ITEMS)
    assert by_item[MQL]["Proposed consensus"] == "Yes"  # "don't know" does not count against "yes"
    assert by_item[HANDOFF]["Proposed consensus"] == "Partly"
    respondents = list(workbook["Respondents"].iter_rows(values_only=True))
    assert len(respondents) == 1 + 2 * len(ITEMS)

    assert consultant.get(f"/engagements/{engagement}/export/consensus.pdf").status_code == 404
    assert consultant.get(f"/engagements/{engagement}/export/secrets.csv").status_code == 404


def test_departments_are_listed_in_the_model_order_whoever_joined_first(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, new_client(consultant, "部門順株式会社"), "第1回", "2026-10-01")
    for department in ("customer_success", "field_sales", "marketing"):  # the reverse of THE MODEL's order
        answer(app, consultant, engagement, department, {MQL: "partial"})
    model = ["マーケティング", "フィールドセールス", "カスタマーサクセス"]

    consensus = visible_text(consultant.get(f"/engagements/{engagement}/consensus?lang=ja"))
    line = consensus[consensus.index(model[0]) :]
    assert [line.index(word) for word in model] == sorted(line.index(word) for word in model), line[:200]

    reply = consultant.get(f"/engagements/{engagement}/export/respondents.csv?lang=ja")
    rows = list(csv.DictReader(io.StringIO(reply.data.decode("utf-8-sig"))))
    assert list(dict.fromkeys(r["部門ID"] for r in rows)) == ["marketing", "field_sales", "customer_success"]
    reply = consultant.get(f"/engagements/{engagement}/export/consensus.csv?lang=ja")
    headers = next(csv.reader(io.StringIO(reply.data.decode("utf-8-sig"))))
    assert [h for h in headers if h in model] == model  # one column per department, in THE MODEL's order

    live = consultant.get(f"/engagements/{engagement}/live.json").get_json()
    assert [row["department"] for row in live["participation"]["by_department"]] == [
        "marketing", "field_sales", "customer_success",
    ]  # fmt: skip
    document = yaml.safe_load(consultant.get(f"/engagements/{engagement}/export/assessment.yaml").data)
    assert [r["department"] for r in document["respondents"]] == ["marketing", "field_sales", "customer_success"]


@pytest.mark.pdf
def test_reassessment_compares_with_the_previous_round_on_screen_and_in_the_pdf(
    app: Flask, consultant: FlaskClient
) -> None:
    client_id = new_client(consultant, "再診断株式会社")
    first = new_round(consultant, client_id, "第1回", "2026-05-01")
    answer(app, consultant, first, "marketing", dict.fromkeys(ITEMS, "no"))
    # The survey of round one (through its own link, as the client would fill it in).
    dashboard = text(consultant.get(f"/engagements/{first}"))
    survey_token = re.search(r"/a/([\w-]{30,})/profile", dashboard).group(1)  # type: ignore[union-attr]
    reply = consultant.post(
        f"/a/{survey_token}/profile",
        data={"client__name": "再診断株式会社", "client__employees": "120", "action": "next"},
    )
    assert reply.status_code == 302

    second = new_round(consultant, client_id, "第2回", "2026-11-01")
    answer(app, consultant, second, "marketing", {**dict.fromkeys(ITEMS, "no"), MQL: "yes", HANDOFF: "yes"})
    dashboard = text(consultant.get(f"/engagements/{second}"))
    assert "第1回" in dashboard  # the previous round is named
    # The second round starts from the first round's company profile.
    second_token = re.search(r"/a/([\w-]{30,})/profile", dashboard).group(1)  # type: ignore[union-attr]
    assert 'value="120"' in text(consultant.get(f"/a/{second_token}/profile"))

    results = text(consultant.get(f"/engagements/{second}/results?lang=ja"))
    assert "第1回" in results and "▲" in results
    assert CONTENT.checklist.item(MQL).text.ja in results

    reply = consultant.post(
        f"/engagements/{second}/proposal", data={"note-executive_summary": "二回目の総括", "action": "ja"}
    )
    assert reply.status_code == 302
    archive = text(consultant.get(f"/engagements/{second}/proposal"))
    proposal_id = int(re.search(r'id="proposal-(\d+)"', archive).group(1))  # type: ignore[union-attr]
    pdf = consultant.get(f"/engagements/{second}/proposals/{proposal_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    content = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages))
    assert "前回" in content  # the since-last-workshop section
    with app.app_context():
        created = db.session.get(Proposal, proposal_id).created_at  # type: ignore[union-attr]
    tokyo = (created if created.tzinfo else created.replace(tzinfo=UTC)).astimezone(timezone(timedelta(hours=9)))
    assert f"{tokyo:%Y-%m-%d %H:%M} JST" in archive  # Japanese consultants read Japanese time, not UTC
    disposition = parse_options_header(pdf.headers["Content-Disposition"])
    assert disposition == ("attachment", {"filename": f"再診断株式会社_THE-MODEL提案書_第2回_{tokyo:%Y-%m-%d}_ja.pdf"})
    assert "二回目の総括" in content
    assert "佐藤花子" in content  # the consultant on the cover
    assert re.sub(r"\s+", "", CONTENT.checklist.item(MQL).text.ja) in content

    # What was sent stays reproducible: later changes touch neither the stored PDF nor its data.
    snapshot = consultant.get(f"/engagements/{second}/proposals/{proposal_id}.yaml").data
    consultant.post(f"/engagements/{second}/consensus", data={f"final-{MQL}": "no"})
    consultant.post(f"/engagements/{second}/proposal", data={"note-executive_summary": "書き換えた総括"})
    assert consultant.get(f"/engagements/{second}/proposals/{proposal_id}.pdf").data == pdf.data
    assert consultant.get(f"/engagements/{second}/proposals/{proposal_id}.yaml").data == snapshot
    assert yaml.safe_load(snapshot)["notes"]["executive_summary"] == "二回目の総括"
    archive = text(consultant.get(f"/engagements/{second}/proposal"))
    assert "書き換えた総括" in archive and re.search(r'class="mono">[0-9a-f]{12}<', archive)


def test_a_round_with_no_answers_is_never_the_one_compared_with(app: Flask, consultant: FlaskClient) -> None:
    """A round created by mistake (or not held yet) would make every item look newly in place."""
    client_id = new_client(consultant, "空ラウンド株式会社")
    held = new_round(consultant, client_id, "第1回", "2026-03-01")
    answer(app, consultant, held, "marketing", dict.fromkeys(ITEMS, "partial"))
    empty = new_round(consultant, client_id, "日付を誤った回", "2026-06-01")
    latest = new_round(consultant, client_id, "第2回", "2026-09-01")
    answer(app, consultant, latest, "marketing", dict.fromkeys(ITEMS, "yes"))

    results = text(consultant.get(f"/engagements/{latest}/results"))
    assert "第1回 (2026-03-01)" in results and "日付を誤った回" not in results
    assert 'id="no-answers"' not in results
    empty_results = text(consultant.get(f"/engagements/{empty}/results"))
    assert 'id="no-answers"' in empty_results  # said plainly, not shown as a collapse to 0
    assert 'id="no-answers"' in text(consultant.get(f"/engagements/{empty}/proposal"))
    assert "第1回" in text(consultant.get(f"/engagements/{empty}"))  # the empty round compares with the held one

    consultant.post(f"/engagements/{empty}/consensus", data={f"final-{MQL}": "yes"})  # a final answer counts
    assert "日付を誤った回" in text(consultant.get(f"/engagements/{latest}/results"))


def test_narrative_too_long_is_refused_and_kept(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, new_client(consultant, "長文株式会社"), "第1回", "2026-10-01")
    long_text = "あ" * 20_001
    reply = consultant.post(
        f"/engagements/{engagement}/proposal", data={"note-risks": long_text, "note-funnel": "残す", "action": "ja"}
    )
    assert reply.status_code == 422
    body = text(reply)
    assert 'href="#note-risks"' in body and long_text in body and "残す" in body
    assert "No proposal generated yet." in body or "まだ" in body


def test_hostile_names_are_escaped_trimmed_or_refused(app: Flask, consultant: FlaskClient) -> None:
    markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client_id = new_client(consultant, markup + "\x00\x07\n")
    listing = text(consultant.get("/clients?lang=ja"))
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in listing and "<script>alert" not in listing
    assert "\x00" not in listing and "\x07" not in listing

    too_long = consultant.post(f"/clients/{client_id}", data={"title": "長" * 201, "held_on": "2026-01-01"})
    assert too_long.status_code == 422
    assert 'aria-invalid="true"' in text(too_long) and 'id="title-error"' in text(too_long)
    bad_date = consultant.post(f"/clients/{client_id}", data={"title": "第1回", "held_on": "2026-13-45"})
    assert bad_date.status_code == 422 and 'id="held_on-error"' in text(bad_date)

    engagement = new_round(consultant, client_id, "第1回 " + markup, "2026-01-01")
    bad_invite = consultant.post(
        f"/engagements/{engagement}/invites", data={"department": "sales_team", "name": "x", "days": "1000"}
    )
    assert bad_invite.status_code == 422
    body = text(bad_invite)
    assert 'id="department-error"' in body and 'id="days-error"' in body
    invited = consultant.post(
        f"/engagements/{engagement}/invites", data={"department": "management", "name": markup, "days": "2"}
    )
    assert invited.status_code == 302
    dashboard = text(consultant.get(f"/engagements/{engagement}"))
    assert "<script>alert" not in dashboard and "<img src=x" not in dashboard

    huge = consultant.post(f"/engagements/{engagement}/consensus", data={f"note-{MQL}": "x" * 1_200_000})
    assert huge.status_code == 413 and "<html" in text(huge)
    for payload in ({f"final-{MQL}": "\x00\xff"}, {f"final-{MQL}": "http://evil.example/"}):
        reply = consultant.post(f"/engagements/{engagement}/consensus", data=payload)
        assert reply.status_code == 422
    results = consultant.get(f"/engagements/{engagement}/results")
    assert results.status_code == 200 and "<script>alert" not in text(results)


def test_the_clients_survey_link_opens_the_profile_and_funnel_only(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, new_client(consultant, "調査リンク株式会社"), "第1回", "2026-10-01")
    consultant.post(f"/engagements/{engagement}/consensus", data={f"final-{MQL}": "yes", f"note-{MQL}": "内部メモ"})
    consultant.post(f"/engagements/{engagement}/proposal", data={"note-risks": "社外秘の所見"})
    dashboard = text(consultant.get(f"/engagements/{engagement}"))
    token = re.search(r"/a/([\w-]{30,})/profile", dashboard).group(1)  # type: ignore[union-attr]
    visitor = app.test_client()  # the client: no account, just the link

    profile = visitor.get(f"/a/{token}/profile?lang=ja")
    assert profile.status_code == 200
    body = text(profile)
    assert f"/a/{token}/checklist-organization" not in body and f"/a/{token}/results" not in body
    for path in ("checklist-organization", "checklist-data", "review", "results", "report.pdf", "assessment.yaml",
                 "assessment.json"):  # fmt: skip
        assert visitor.get(f"/a/{token}/{path}").status_code == 404, path
    refused = visitor.post(f"/a/{token}/checklist-organization", data={field(MQL): "no", "action": "next"})
    assert refused.status_code == 404

    saved = visitor.post(f"/a/{token}/funnel", data={"survey__funnel__leads": "900", "action": "next"})
    assert saved.status_code == 302 and saved.location.endswith(f"/a/{token}/survey-done")
    done = text(visitor.get(saved.location))
    assert "900" in done and "内部メモ" not in done and "社外秘" not in done
    assert visitor.get(f"/a/{token}/survey-done").status_code == 200

    document = yaml.safe_load(consultant.get(f"/engagements/{engagement}/export/assessment.yaml").data)
    assert document["survey"]["funnel"]["leads"] == 900  # the consultant has the figure
    assert document["checklist"][MQL] == "yes" and document["comments"][MQL] == "内部メモ"  # untouched
    # A manager's own self-assessment has no survey-done page.
    own = app.test_client()
    start = own.post("/start")
    own_token = start.location.split("/a/", 1)[1].split("/", 1)[0]
    assert own.get(f"/a/{own_token}/survey-done").status_code == 404


@pytest.mark.pdf
def test_the_proposal_is_dated_from_the_start_day_the_consultant_sets(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, new_client(consultant, "開始日工業株式会社"), "第1回", "2026-11-20")
    answer(app, consultant, engagement, "marketing", {MQL: "no"})
    page = text(consultant.get(f"/engagements/{engagement}/proposal"))
    assert 'name="plan-start" value=""' in page and "空欄のときは次の月曜日" in page

    bad = consultant.post(
        f"/engagements/{engagement}/proposal",
        data={"plan-start": "2027/13/01", "note-risks": "残す文章", "action": "ja"},
    )
    assert bad.status_code == 422
    body = text(bad)
    assert 'href="#note-plan_start"' in body and "計画の開始日:" in visible_text(body) and "残す文章" in body
    assert 'value="2027/13/01"' in body  # what was typed stays on the page
    assert "No proposal generated yet." in body or "まだ" in body

    reply = consultant.post(f"/engagements/{engagement}/proposal", data={"plan-start": "2027-04-05", "action": "ja"})
    assert reply.status_code == 302
    proposal_id = int(re.search(r"#proposal-(\d+)", reply.location).group(1))  # type: ignore[union-attr]
    data = yaml.safe_load(consultant.get(f"/engagements/{engagement}/proposals/{proposal_id}.yaml").data)
    assert data["plan"] == {"start": "2027-04-05"}
    pdf = consultant.get(f"/engagements/{engagement}/proposals/{proposal_id}.pdf")
    assert pdf.status_code == 200
    words = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2027年4月5日" in words
    results = visible_text(text(consultant.get(f"/engagements/{engagement}/results")))
    assert "マーケティング · 4月5日–" in results
