"""Issue 15 on the web: figures typed the Japanese way, the unit beside an amount, the company name's limit on
the form."""

from __future__ import annotations

import re

import yaml
from flask.testing import FlaskClient

from tests.web import field_errors, parse, post_page, start, text

FUNNEL = {
    "survey__funnel__average_deal_size": "２，０００万円",
    "survey__funnel__monthly_revenue_target": "240万",
    "survey__funnel__connect_rate": "1.5%",
    "survey__funnel__leads": "1,200件",
    "survey__funnel__wins": "５件",
    "survey__funnel__lead_response_hours": "48時間",
    "survey__funnel__sales_cycle_days": "３０",
}


def test_figures_typed_the_japanese_way_are_saved_as_numbers(client: FlaskClient) -> None:
    base = start(client)
    response = post_page(client, f"{base}/funnel", FUNNEL)
    assert response.status_code in (200, 302), field_errors(response)  # 200: saved, with a plausibility note
    assert field_errors(response) == {}
    funnel = yaml.safe_load(text(client.get(f"{base}/assessment.yaml")))["survey"]["funnel"]
    assert funnel == {
        "average_deal_size": 20_000_000, "monthly_revenue_target": 2_400_000, "connect_rate": 1.5, "leads": 1200,
        "wins": 5, "lead_response_hours": 48, "sales_cycle_days": 30,
    }  # fmt: skip


def test_a_figure_in_the_wrong_unit_says_what_to_type(client: FlaskClient) -> None:
    base = start(client)
    response = post_page(client, f"{base}/funnel", {"survey__funnel__average_deal_size": "5件"})
    assert response.status_code == 422
    message = "'5件' は数値ではありません。半角数字で入力してください（例: 2400000 または 240万）"
    assert field_errors(response) == {"survey__funnel__average_deal_size": message}
    assert parse(response).values["survey__funnel__average_deal_size"] == "5件"  # kept as typed


def test_an_amount_shows_its_unit_beside_the_input(client: FlaskClient) -> None:
    base = start(client)
    page = text(client.get(f"{base}/funnel"))
    field = "survey__funnel__average_deal_size"
    pattern = (
        rf'<span class="with-unit"><input id="{field}-input"[^>]*><span class="unit" id="{field}-unit">([^<]*)</span>'
    )
    amount = re.search(pattern, page)
    assert amount is not None and amount.group(1) == "円"
    assert 'aria-describedby="survey__funnel__average_deal_size-unit"' in page
    assert 'id="survey__funnel__leads-unit"' not in page  # a count says 件 in its label already
    client.get("/?lang=en")
    assert 'id="survey__funnel__average_deal_size-unit">JPY</span>' in text(client.get(f"{base}/funnel"))


def test_the_company_name_field_says_its_limit(client: FlaskClient) -> None:
    base = start(client)
    page = text(client.get(f"{base}/profile"))
    field = re.search(r'<input id="client__name-input"[^>]*>', page)
    assert (
        field is not None
        and 'maxlength="60"' in field.group()
        and 'aria-describedby="client__name-hint"' in field.group()
    )
    assert '<p class="hint" id="client__name-hint">60文字以内（提案書の表紙に記載されます）</p>' in page
    response = post_page(client, f"{base}/profile", {"client__name": "株式会社サンプル🚀" * 20})
    assert response.status_code == 422
    assert field_errors(response) == {
        "client__name": "会社名は60文字以内で入力してください。提案書の表紙に収まる長さです（現在180文字）"
    }
