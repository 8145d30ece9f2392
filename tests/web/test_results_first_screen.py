"""The results page a manager acts on: whose diagnosis, what the score means, three things to do first (owner,
when, why), then the downloads; the money view with the client's own numbers; risks folded after three; judgements
in words and icons.

The expectations are worked out by hand from the seeds' arithmetic before looking at the page: revenue = leads ×
conversion to opportunity × win rate × deal size; the leads needed = today's leads × target / today's revenue.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from assessment.content.model import Content
from assessment.web import store
from tests.web import text, visible_text

ANSWERS_NO = {
    "org.exec_sponsorship": "yes", "org.marketing_owner": "yes", "org.inside_sales_setup": "no",
    "org.field_sales_scope": "yes", "org.customer_success_plan": "no", "org.kpis_defined": "no",
    "org.mql_definition": "no", "org.sql_definition": "no", "org.handoff_rules": "no", "org.baton_meeting": "no",
    "tools.ma_plan": "no", "tools.sfa_plan": "no", "tools.ma_sfa_integration": "no", "tools.lead_scoring": "no",
    "tools.tool_owners": "no", "data.lead_capture": "no", "data.customer_master": "no",
    "data.activity_logging": "no", "data.access_control": "no", "data.reporting_requirements": "no",
}  # fmt: skip

# 400 leads × (20 / 400) × (5 / 20) × 100万 = 500万 a month; the target of 1,000万 needs twice today's volume at
# every stage: 800 leads, 160 MQLs, 80 SQLs, 40 opportunities, 10 wins.
FUNNEL = {
    "leads": 400, "mqls": 80, "sqls": 40, "opportunities": 20, "wins": 5, "average_deal_size": 1_000_000,
    "monthly_revenue_target": 10_000_000, "lead_response_hours": 48, "sales_cycle_days": 30,
}  # fmt: skip


def document(**funnel: Any) -> dict[str, Any]:
    """A 150-person company with three teams, the foundations mostly missing, and ``funnel``."""
    return {
        "version": 1,
        "client": {"name": "テスト商事株式会社", "employees": 150, "industry": "SaaS"},
        "checklist": ANSWERS_NO,
        "survey": {
            "departments": {"marketing": "dedicated", "inside_sales": "dedicated", "field_sales": "dedicated",
                            "customer_success": "none"},
            "tools": {"ma": "none", "sfa": "none", "spreadsheet": True},
            "funnel": funnel,
        },
    }  # fmt: skip


def results(app: Flask, client: FlaskClient, doc: dict[str, Any], lang: str = "ja") -> str:
    """The results page of a self-assessment holding ``doc``."""
    with app.app_context():
        token = store.create(doc).token
    client.set_cookie("lang", lang)
    response = client.get(f"/a/{token}/results?lang={lang}")
    assert response.status_code == 200
    return text(response)


def test_first_screen_says_whose_what_it_means_and_what_to_do_first(
    app: Flask, client: FlaskClient, content: Content
) -> None:
    html = results(app, client, document(**FUNNEL))
    shown = visible_text(html)
    assert "テスト商事株式会社" in shown and "時点の診断" in shown
    # four foundations answered yes out of twenty... the score is low: the first band, in words and an icon
    band = content.checklist.bands[0]
    assert band.title.ja in shown and band.verdict.ja in shown
    assert re.search(r'class="verdict tone-concern"', html) and "▲" in html
    assert "この点数の計算方法" in shown and "1.5倍の重み" in shown
    assert "土台となる設問のうち「はい」は7問中1問" in shown  # exec sponsorship only
    cards = re.findall(r'<li class="action-card">(.*?)</li>', html, re.S)
    assert len(cards) == 3
    for card in cards:
        words = visible_text(card)
        assert "担当" in words and "時期" in words and "先に行う理由" in words, words
        assert re.search(r"\d+月\d+日", words), words  # when: calendar dates from the plan's start
    # the order of the first screen: verdict, phase, the three things, then the downloads, then the rest
    positions = [html.index(marker) for marker in ('class="verdict', 'class="aim"', 'class="action-cards"',
                                                   'class="downloads"', 'id="money"', 'id="risks"')]  # fmt: skip
    assert positions == sorted(positions)


def test_why_first_names_the_risk_a_task_counters(app: Flask, client: FlaskClient) -> None:
    html = results(app, client, document(**FUNNEL))
    risks = re.findall(r'<details class="risk [^"]*"[^>]*>\s*<summary>.*?</span>\s*(.*?)</summary>', html, re.S)
    whys = [visible_text(m) for m in re.findall(r"<dt>先に行う理由</dt><dd>(.*?)</dd>", html, re.S)]
    assert whys and all(w for w in whys)
    countered = [w for w in whys if w.startswith("次のリスクへの対策です")]
    assert countered, whys
    for why in countered:  # a risk named as the reason is one the page raises
        named = why.split("：", 1)[1].split("。", 1)[0].split("、")
        assert all(name in risks for name in named), (named, risks)


def test_money_view_with_the_clients_own_numbers(app: Flask, client: FlaskClient) -> None:
    html = results(app, client, document(**FUNNEL))
    money = visible_text(html.split('id="money"', 1)[1].split('id="risks"', 1)[0])
    assert "リード数 400 × リード→商談化率 5% × 受注率 25% × 平均受注単価 100万円 = 月間売上 500万円" in money
    assert "月間目標1,000万円に対し、達成率は50%です" in money
    assert "現在400件 → 必要800件" in money and "現在5件 → 必要10件" in money
    added = [int(a.replace(",", "")) for a in re.findall(r"\+([\d,]+)万円", money)]
    assert added and added == sorted(added, reverse=True)  # levers ranked by yen a month


def test_money_view_says_what_is_missing(app: Flask, client: FlaskClient) -> None:
    html = results(app, client, document(leads=400, mqls=80))
    money = visible_text(html.split('id="money"', 1)[1].split('id="risks"', 1)[0])
    assert "売上の方程式には" in money and "平均受注単価" in money


def test_risks_fold_after_the_first_three(app: Flask, client: FlaskClient) -> None:
    html = results(app, client, document(**FUNNEL))
    section = html.split('id="risks"', 1)[1].split("</section>", 1)[0]
    opened = re.findall(r'<details class="risk [^"]*" open>', section)
    folded = section.split('<details class="more-risks">', 1)
    assert len(opened) == 3 and len(folded) == 2
    rest = len(re.findall(r'<details class="risk ', folded[1]))
    assert rest >= 1 and f"ほかのリスク{rest}件を表示" in visible_text(folded[1])


def test_judgements_say_good_or_bad_in_words_and_icon(app: Flask, client: FlaskClient) -> None:
    html = results(app, client, document(**FUNNEL))
    rows = {
        visible_text(cells[0]): (cells[-1], visible_text(cells[-1]))
        for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
                      for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html.split('class="data benchmarks"', 1)[1]))
        if cells
    }  # fmt: skip
    cell, words = rows["MQLへの初回対応時間"]  # 48 hours against a 24-hour ceiling: bad, never "上回る"
    assert "上限を超える" in words and "▲" in cell and "上回る" not in words
    assert "要注意" in words
    for _, (cell, words) in rows.items():
        if "▲" in cell:
            assert any(w in words for w in ("目安に届かない", "上限を超える", "目安より高すぎる")), words


def test_first_screen_in_english(app: Flask, client: FlaskClient, content: Content) -> None:
    shown = visible_text(results(app, client, document(**FUNNEL), lang="en"))
    assert "Three things to do first" in shown and content.checklist.bands[0].verdict.en in shown
    assert "now 400 → needed 800" in shown and "Why first" in shown


def test_the_results_follow_every_saved_change_although_the_view_is_kept(app: Flask, client: FlaskClient) -> None:
    """The diagnosis and view are kept per answers document: a saved answer, the plan's start or the language
    gives a fresh one, never the page as it was."""
    from tests.web import post_page

    with app.app_context():
        token = store.create(document(**FUNNEL)).token
    base = f"/a/{token}"
    before = re.search(r"<strong>(\d+)</strong><small>/100", text(client.get(f"{base}/results")))
    assert before
    post_page(client, f"{base}/checklist-organization", {f"checklist__org__{i}": "yes" for i in (
        "kpis_defined", "mql_definition", "sql_definition", "handoff_rules", "baton_meeting")})  # fmt: skip
    after = re.search(r"<strong>(\d+)</strong><small>/100", text(client.get(f"{base}/results")))
    assert after and int(after.group(1)) > int(before.group(1))
    english = visible_text(client.get(f"{base}/results?lang=en"))
    assert "Three things to do first" in english and "まず着手する" not in english
