"""The questionnaire from start to results, with CSRF on: saving, going back, and invalid input kept."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment import diagnose, parse_assessment
from assessment.content.model import Content
from tests.web import (
    error_summary,
    field_errors,
    parse,
    post_page,
    start,
    stored,
    text,
    token_of,
    translate,
    visible_text,
)

PROFILE = {
    "client__name": "株式会社テスト",
    "client__employees": "150",
    "client__industry": "SaaS",
    "survey__departments__marketing": "dedicated",
    "survey__departments__inside_sales": "shared",
    "survey__departments__field_sales": "dedicated",
    "survey__departments__customer_success": "none",
    "survey__tools__ma": "in_use",
    "survey__tools__ma_product": "HubSpot",
    "survey__tools__sfa": "planned",
    "survey__tools__spreadsheet": "true",
}
FUNNEL = {
    "survey__funnel__leads": "800",
    "survey__funnel__mqls": "120",
    "survey__funnel__sqls": "40",
    "survey__funnel__opportunities": "35",
    "survey__funnel__wins": "6",
    "survey__funnel__connect_rate": "18",
}
ORGANISATION = {
    "checklist__org__exec_sponsorship": "yes",
    "checklist__org__mql_definition": "partial",
    "checklist__org__handoff_rules": "no",
    "checklist__org__baton_meeting": "no",
    "comments__org__mql_definition": "営業とマーケで定義が一致していない",
}
TOOLS = {
    "checklist__tools__ma_plan": "yes",
    "checklist__tools__sfa_plan": "partial",
    "checklist__tools__tool_owners": "yes",
}
DATA = {
    "checklist__data__customer_master": "no",
    "checklist__data__lead_capture": "yes",
    "checklist__data__activity_logging": "partial",
}


def expected_document() -> dict[str, object]:
    return {
        "version": 1,
        "client": {"name": "株式会社テスト", "employees": 150, "industry": "SaaS"},
        "checklist": {
            "org.exec_sponsorship": "yes",
            "org.mql_definition": "partial",
            "org.handoff_rules": "no",
            "org.baton_meeting": "no",
            "tools.ma_plan": "yes",
            "tools.sfa_plan": "partial",
            "tools.tool_owners": "yes",
            "data.customer_master": "no",
            "data.lead_capture": "yes",
            "data.activity_logging": "partial",
        },
        "comments": {"org.mql_definition": "営業とマーケで定義が一致していない"},
        "survey": {
            "departments": {
                "marketing": "dedicated",
                "inside_sales": "shared",
                "field_sales": "dedicated",
                "customer_success": "none",
            },
            "tools": {"ma": "in_use", "sfa": "planned", "spreadsheet": True, "ma_product": "HubSpot"},
            "funnel": {"leads": 800, "mqls": 120, "sqls": 40, "opportunities": 35, "wins": 6, "connect_rate": 18},
        },
    }


def test_full_flow_start_to_results(app: Flask, client: FlaskClient, content: Content) -> None:
    base = start(client)
    steps = [
        ("profile", PROFILE, "funnel"),
        ("funnel", FUNNEL, "checklist-organization"),
        ("checklist-organization", ORGANISATION, "checklist-tools"),
        ("checklist-tools", TOOLS, "checklist-data"),
        ("checklist-data", DATA, "review"),
    ]
    for page_id, data, following in steps:
        response = post_page(client, f"{base}/{page_id}", data)
        assert response.status_code == 302, (page_id, response.status_code, error_summary(response))
        assert response.location.endswith(f"{base}/{following}"), response.location

    # every page shows what was saved
    for page_id, data, _ in steps:
        values = parse(client.get(f"{base}/{page_id}")).values
        for name, value in data.items():
            assert values.get(name) == value, (page_id, name)

    # what is stored is what the core accepts, with the answers as given
    row = stored(app, token_of(base))
    assessment = parse_assessment(row.document, content)
    assert assessment.client.name == "株式会社テスト" and assessment.client.employees == 150
    assert assessment.answers["org.baton_meeting"] == "no"
    assert assessment.tools == {"ma": "in_use", "sfa": "planned"} and assessment.spreadsheet is True
    assert assessment.funnel["leads"] == 800

    review = client.get(f"{base}/review")
    assert review.status_code == 200
    shown = visible_text(review)
    for expected in (
        "株式会社テスト", "150", "SaaS", "専任チームあり", "兼任で対応", "運用中", "導入予定", "HubSpot",
        "800", "営業とマーケで定義が一致していない", "一部", "いいえ",
    ):  # fmt: skip
        assert expected in shown, expected
    assert translate(app, "not answered", "ja") in shown  # e.g. org.sql_definition was left out
    assert re.search(r"表計算ソフトで管理している\s+はい", shown)  # spreadsheet: true shown as Yes
    assert f'href="{base}/results"' in text(review)

    results = client.get(f"{base}/results")
    assert results.status_code == 200
    html = text(results)
    diagnosis = diagnose(assessment, content)
    titles = [f.title.ja for f in diagnosis.findings]
    assert "部門のサイロ化" in titles  # three staffed teams, no baton meeting, no hand-off rules
    risk_titles = re.findall(r'<details class="risk [^"]*"[^>]*>\s*<summary>.*?</span>\s*(.*?)</summary>', html, re.S)
    assert risk_titles == titles
    phases = {p.number: p for p in content.organisation.phases}
    recommended = phases[diagnosis.phase.recommended].title.ja
    assert f"<strong>{recommended}</strong>" in html
    assert f"<strong>{diagnosis.scores.overall:.0f}</strong><small>/100</small>" in html
    roadmap = html.split(translate(app, "Implementation roadmap", "ja"))[1]
    assert "<svg" in roadmap  # the Gantt chart
    pending = [t.title.ja for t in diagnosis.plan.tasks if t.status == "pending"]
    assert pending and all(title in visible_text(roadmap) for title in pending)
    for link in ("report.pdf?lang=ja", "report.pdf?lang=en", "assessment.yaml", "assessment.json"):
        assert f'href="{base}/{link}"' in html, link


def test_the_proposal_waits_until_half_the_statements_are_answered(client: FlaskClient) -> None:
    """Nine answers: the results say they are provisional, no PDF link, and the PDF URL says what is missing."""
    base = start(client)
    post_page(client, f"{base}/profile", PROFILE)
    nine = {**ORGANISATION, **{k: v for k, v in TOOLS.items()}, "checklist__data__lead_capture": "yes"}
    nine.pop("checklist__tools__tool_owners")
    for page_id in ("checklist-organization", "checklist-tools", "checklist-data"):
        prefix = "checklist__" + {"checklist-organization": "org", "checklist-tools": "tools"}.get(page_id, "data")
        post_page(client, f"{base}/{page_id}", {k: v for k, v in nine.items() if k.startswith(prefix)})
    results = client.get(f"{base}/results")
    shown = visible_text(results)
    assert "暫定の診断です：20問のうち回答は7問で" in shown
    assert "提案書PDFは、設問の半数以上に回答すると作成できます（あと3問）" in shown
    assert "report.pdf" not in text(results)
    held = client.get(f"{base}/report.pdf?lang=ja")
    assert held.status_code == 409 and held.mimetype == "text/html"
    assert "現在の回答は7問です。あと3問に回答してください" in visible_text(held)
    assert "Traceback" not in text(held)
    more = {"checklist__data__customer_master": "no", "checklist__data__access_control": "no",
            "checklist__data__activity_logging": "partial", "checklist__data__lead_capture": "yes"}  # fmt: skip
    post_page(client, f"{base}/checklist-data", more)
    assert "暫定" not in visible_text(client.get(f"{base}/results"))
    assert f'href="{base}/report.pdf?lang=ja"' in text(client.get(f"{base}/results"))


def test_results_without_the_silo_risk_when_the_teams_are_linked(nocsrf_client: FlaskClient) -> None:
    base = start(nocsrf_client)
    post_page(nocsrf_client, f"{base}/profile", PROFILE, csrf=False)
    linked = {f"checklist__org__{i}": "yes" for i in ("baton_meeting", "handoff_rules")}
    assert post_page(nocsrf_client, f"{base}/checklist-organization", linked, csrf=False).status_code == 302
    data = {f"checklist__data__{i}": "yes" for i in ("customer_master", "access_control", "reporting_requirements")}
    assert post_page(nocsrf_client, f"{base}/checklist-data", data, csrf=False).status_code == 302
    results = text(nocsrf_client.get(f"{base}/results"))
    assert "部門のサイロ化" not in results
    assert "<svg" in results


def test_results_of_an_empty_assessment(nocsrf_client: FlaskClient) -> None:
    base = start(nocsrf_client)
    review = nocsrf_client.get(f"{base}/review")
    assert review.status_code == 200
    assert "20問中0問に回答済み" in text(review)
    results = nocsrf_client.get(f"{base}/results")
    assert results.status_code == 200
    assert "まだ診断できません" in text(results)  # no 0/100, risk or phase for a blank questionnaire
    assert "<svg" not in text(results) and "/100" not in text(results)


def test_invalid_value_is_kept_with_the_loaders_message(client: FlaskClient) -> None:
    base = start(client)
    url = f"{base}/profile"
    response = post_page(client, url, {"client__name": "Keep Me", "client__employees": "-5"})
    assert response.status_code == 422
    assert "-5 は下限 0 を下回っています" in error_summary(response)
    assert "従業員数" in error_summary(response)
    assert field_errors(response) == {"client__employees": "-5 は下限 0 を下回っています"}
    page = parse(response)
    assert page.values["client__employees"] == "-5"
    assert page.values["client__name"] == "Keep Me"
    assert 'aria-invalid="true"' in text(response)

    # the valid answer is saved, the invalid one is kept as a draft and shown again
    again = client.get(url)
    assert again.status_code == 200
    assert parse(again).values["client__employees"] == "-5"
    assert parse(again).values["client__name"] == "Keep Me"
    assert field_errors(again) == {"client__employees": "-5 は下限 0 を下回っています"}

    fixed = post_page(client, url, {"client__name": "Keep Me", "client__employees": "42"})
    assert fixed.status_code == 302 and fixed.location.endswith(f"{base}/funnel")
    after = client.get(url)
    assert field_errors(after) == {} and error_summary(after) == ""
    assert parse(after).values["client__employees"] == "42"
    assert "42" in visible_text(client.get(f"{base}/review"))


def test_invalid_value_message_in_english(client: FlaskClient) -> None:
    base = start(client)
    client.get("/?lang=en")
    response = post_page(client, f"{base}/profile", {"client__employees": "-5"})
    assert response.status_code == 422
    assert field_errors(response) == {"client__employees": "-5 is below 0"}
    assert "Employees: -5 is below 0" in " ".join(error_summary(response).split())
    assert parse(response).html_lang == "en"


@pytest.mark.parametrize(
    ("page_id", "field", "value", "message"),
    [
        ("funnel", "survey__funnel__connect_rate", "150", "150 は上限 100 を超えています"),
        ("funnel", "survey__funnel__leads", "ten",
         "'ten' は数値ではありません。半角数字で入力してください（例: 120 または 120件）"),
        ("funnel", "survey__funnel__leads", "1.5", "1.5 は整数ではありません"),
        ("checklist-organization", "checklist__org__mql_definition", "maybe",
         "'maybe' は yes, partial, no, unknown のいずれでもありません"),
        ("profile", "survey__departments__marketing", "lots",
         "'lots' は dedicated, shared, none のいずれでもありません"),
        ("profile", "client__name", "x" * 61,
         "会社名は60文字以内で入力してください。提案書の表紙に収まる長さです（現在61文字）"),
        ("checklist-organization", "comments__org__mql_definition", "定義\x07あり",
         "目に見えない制御文字が含まれています。取り除いてから保存してください"),
    ],
)  # fmt: skip
def test_each_kind_of_invalid_value(client: FlaskClient, page_id: str, field: str, value: str, message: str) -> None:
    base = start(client)
    response = post_page(client, f"{base}/{page_id}", {field: value})
    assert response.status_code == 422
    assert field_errors(response) == {field: message}
    again = client.get(f"{base}/{page_id}")
    page = parse(again)
    if field in page.radios:  # a radio group cannot show a value it does not offer: none is checked
        assert field not in page.values
    else:
        assert page.values[field] == value
    assert field_errors(again) == {field: message}


def test_a_too_long_comment_stays_a_draft_with_its_error(client: FlaskClient) -> None:
    """A 2001-character comment is refused; the page must keep showing it with the error until fixed.

    (A browser's maxlength=2000 counts a line break as one character but sends it as CR LF, so a real
    user can send more than 2000 characters.)
    """
    base = start(client)
    url = f"{base}/checklist-organization"
    comment = "a" * 2001
    response = post_page(client, url, {"comments__org__mql_definition": comment})
    assert response.status_code == 422
    assert field_errors(response) == {"comments__org__mql_definition": "2000 文字を超えています"}
    again = client.get(url)
    shown = parse(again).values["comments__org__mql_definition"]
    assert field_errors(again) == {"comments__org__mql_definition": "2000 文字を超えています"}, (
        f"on reload the error is gone and the draft shows {len(shown)} of {len(comment)} characters"
    )
    assert shown == comment


def test_a_bad_spreadsheet_value_is_refused_not_saved_as_no(app: Flask, client: FlaskClient) -> None:
    """The core is the validation authority: 'maybe' is not a boolean, it must not become false."""
    base = start(client)
    response = post_page(client, f"{base}/profile", {"survey__tools__spreadsheet": "maybe"})
    saved = stored(app, token_of(base)).document.get("survey", {}).get("tools", {})
    assert response.status_code == 422, f"'maybe' was accepted and stored as {saved}"
    assert field_errors(response) == {"survey__tools__spreadsheet": "'maybe' は true / false のどちらでもありません"}


def test_back_saves_and_goes_to_the_previous_page(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    response = post_page(client, f"{base}/funnel", {"survey__funnel__leads": "100", "action": "back"})
    assert response.status_code == 302
    assert response.location.endswith(f"{base}/profile")
    assert parse(client.get(f"{base}/funnel")).values["survey__funnel__leads"] == "100"
    assert stored(app, token_of(base)).document["survey"]["funnel"]["leads"] == "100"

    back = post_page(client, f"{base}/checklist-data", {"checklist__data__lead_capture": "yes", "action": "back"})
    assert back.location.endswith(f"{base}/checklist-tools")
    assert parse(client.get(f"{base}/checklist-data")).values["checklist__data__lead_capture"] == "yes"


def test_back_with_an_invalid_value_keeps_it_as_a_draft(client: FlaskClient) -> None:
    base = start(client)
    response = post_page(client, f"{base}/funnel", {"survey__funnel__wins": "-1", "action": "back"})
    assert response.status_code == 302 and response.location.endswith(f"{base}/profile")
    again = client.get(f"{base}/funnel")
    assert parse(again).values["survey__funnel__wins"] == "-1"
    assert field_errors(again) == {"survey__funnel__wins": "-1 は下限 0 を下回っています"}


def test_back_on_the_first_page_is_a_plain_save(client: FlaskClient) -> None:
    base = start(client)
    response = post_page(client, f"{base}/profile", {"client__name": "First", "action": "back"})
    assert response.status_code == 302 and response.location.endswith(f"{base}/funnel")
    assert parse(client.get(f"{base}/profile")).values["client__name"] == "First"


def test_clearing_an_answer_removes_it(client: FlaskClient) -> None:
    base = start(client)
    post_page(client, f"{base}/profile", {"client__industry": "Retail"})
    post_page(client, f"{base}/profile", {"client__industry": ""})
    assert parse(client.get(f"{base}/profile")).values["client__industry"] == ""
    assert "Retail" not in visible_text(client.get(f"{base}/review"))


def test_funnel_figures_that_grow_down_the_funnel_are_flagged(client: FlaskClient) -> None:
    base = start(client)
    figures = {"survey__funnel__leads": "100", "survey__funnel__mqls": "150"}
    response = post_page(client, f"{base}/funnel", figures)
    # a soft warning: saved, and shown once on the same page before moving on
    assert response.status_code == 200
    warning = "MQL（150件）が前段のリード（100件）を上回り、転換率が150%になります"
    assert warning in visible_text(response)
    assert "保存しました" in visible_text(response)
    assert stored(client.application, token_of(base)).document["survey"]["funnel"] == {"leads": "100", "mqls": "150"}
    seen = parse(response).hidden["warnings_seen"]
    onwards = post_page(client, f"{base}/funnel", {**figures, "warnings_seen": seen})
    assert onwards.status_code == 302 and onwards.location.endswith("/checklist-organization")
    changed = post_page(client, f"{base}/funnel", {**figures, "survey__funnel__sqls": "200", "warnings_seen": seen})
    assert changed.status_code == 200  # a new oddity stops the visitor again
    assert "SQL（200件）" in visible_text(changed)
    fixed = post_page(client, f"{base}/funnel", {"survey__funnel__leads": "1000", "survey__funnel__mqls": "150"})
    assert fixed.status_code == 302  # nothing odd: straight on
    post_page(client, f"{base}/funnel", figures)  # back to the odd figures, saved
    assert warning in visible_text(client.get(f"{base}/funnel"))
    assert warning in visible_text(client.get(f"{base}/review"))
    assert "survey.funnel" not in visible_text(client.get(f"{base}/review"))  # no internal paths
