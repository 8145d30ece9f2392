"""Figures as a Japanese manager types them (240万, ２，０００万円, 1.5%, 5件, 48時間), the company name's limit and
whole numbers written as integers: the normaliser, the assessment file loader and the exported document."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from assessment.content.model import Content
from assessment.engine.assessment_file import MAX_CLIENT_NAME, parse_assessment, to_document
from assessment.engine.typed_number import read_typed_number
from assessment.errors import AssessmentError

FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


def grouped(n: int) -> str:
    """``n`` with thousands separators: 1234567 -> 1,234,567."""
    return f"{n:,}"


@pytest.mark.parametrize(
    ("figure", "typed", "expected"),
    [
        ("average_deal_size", "240万", 2_400_000),
        ("average_deal_size", "２，０００万円", 20_000_000),
        ("average_deal_size", "240万円", 2_400_000),
        ("average_deal_size", "1億2,000万円", 120_000_000),
        ("average_deal_size", "1.5億", 150_000_000),
        ("average_deal_size", "¥1,200,000", 1_200_000),
        ("monthly_revenue_target", "３０００万", 30_000_000),
        ("connect_rate", "1.5%", 1.5),
        ("connect_rate", "２５％", 25),
        ("leads", "5件", 5),
        ("leads", "1,200", 1200),
        ("leads", "３０", 30),
        ("lead_response_hours", "48時間", 48),
        ("sales_cycle_days", "90日", 90),
        ("nps", "－２０", -20),
    ],
)
def test_typed_figures_are_accepted(figure: str, typed: str, expected: float, content: Content) -> None:
    assessment = parse_assessment({"survey": {"funnel": {figure: typed}}}, content)
    assert assessment.funnel[figure] == expected


def test_employees_may_be_written_with_people(content: Content) -> None:
    assert parse_assessment({"client": {"employees": "２５０名"}}, content).client.employees == 250
    assert parse_assessment({"client": {"employees": "1,200人"}}, content).client.employees == 1200


def test_the_cli_file_takes_the_same_spellings(content: Content) -> None:
    text = "survey:\n  funnel:\n    average_deal_size: 240万円\n    connect_rate: 1.5%\n    leads: 1,200件\n"
    assessment = parse_assessment(text, content)
    assert dict(assessment.funnel) == {"average_deal_size": 2_400_000, "connect_rate": 1.5, "leads": 1200}


@pytest.mark.parametrize(
    ("figure", "typed", "ja"),
    [
        ("average_deal_size", "5件", "半角数字で入力してください（例: 2400000 または 240万）"),
        ("average_deal_size", "たくさん", "半角数字で入力してください（例: 2400000 または 240万）"),
        ("leads", "5万", "半角数字で入力してください（例: 120 または 120件）"),
        ("leads", "5円", "半角数字で入力してください（例: 120 または 120件）"),
        ("connect_rate", "25件", "半角数字で入力してください（例: 1.5 または 1.5%）"),
        ("lead_response_hours", "2日", "半角数字で入力してください（例: 48 または 48時間）"),
    ],
)
def test_anything_else_says_what_to_type(figure: str, typed: str, ja: str, content: Content) -> None:
    with pytest.raises(AssessmentError) as raised:
        parse_assessment({"survey": {"funnel": {figure: typed}}}, content)
    [problem] = raised.value.problems
    assert (problem.path, problem.code) == (f"survey.funnel.{figure}", "not_number")
    assert problem.render("ja") == f"survey.funnel.{figure}: '{typed}' は数値ではありません。{ja}"
    assert problem.text("en").startswith(f"'{typed}' is not a number: type it in digits, for example ")


@given(st.integers(min_value=0, max_value=10**12))
def test_any_integer_in_full_width_digits_with_commas(n: int) -> None:
    assert read_typed_number(grouped(n).translate(FULL_WIDTH), "count") == n
    assert read_typed_number(grouped(n), "yen") == n


@given(st.integers(min_value=0, max_value=10**9))
def test_man_and_oku_scale_an_amount(n: int) -> None:
    assert read_typed_number(f"{n}万", "yen") == n * 10_000
    assert read_typed_number(f"{grouped(n)}万円".translate(FULL_WIDTH), "yen") == n * 10_000
    assert read_typed_number(f"{n}億", "yen") == n * 100_000_000
    assert read_typed_number(f"{n}万", "count") is None  # 万 is for amounts only


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_a_rate_with_its_percent_sign(rate: object) -> None:
    assert read_typed_number(f"{rate}%", "percent") == float(str(rate))
    assert read_typed_number(f"{rate}％".translate(FULL_WIDTH), "percent") == float(str(rate))


@given(st.text(max_size=12))
def test_the_normaliser_never_raises(typed: str) -> None:
    for unit in ("yen", "count", "percent", "hours", "days", "people", "score", ""):
        number = read_typed_number(typed, unit)
        assert number is None or number == number  # a finite number or nothing


def test_a_company_name_that_fits_the_cover_is_kept(content: Content) -> None:
    name = "株" * (MAX_CLIENT_NAME - 2) + "🚀🎉"
    assert parse_assessment({"client": {"name": name}}, content).client.name == name


def test_a_company_name_too_long_for_the_cover_is_refused(content: Content) -> None:
    name = "株式会社サンプル🚀" * 20  # 177 characters, as in issue 15
    with pytest.raises(AssessmentError) as raised:
        parse_assessment({"client": {"name": name[:177]}}, content)
    [problem] = raised.value.problems
    assert (problem.path, problem.code) == ("client.name", "name_too_long")
    assert problem.render("ja") == (
        "client.name: 会社名は60文字以内で入力してください。提案書の表紙に収まる長さです（現在177文字）"
    )
    assert problem.text("en") == (
        "the company name can be at most 60 characters, so that it fits on the proposal's cover (177 given)"
    )


def test_the_exported_file_writes_whole_numbers_as_integers(content: Content) -> None:
    typed = {"average_deal_size": "240万", "connect_rate": "1.5%", "leads": "1200", "lead_response_hours": 48.0}
    document = to_document(parse_assessment({"survey": {"funnel": typed}}, content))
    funnel = document["survey"]["funnel"]
    assert funnel == {"average_deal_size": 2400000, "connect_rate": 1.5, "leads": 1200, "lead_response_hours": 48}
    assert [type(funnel[k]) for k in ("average_deal_size", "connect_rate", "leads", "lead_response_hours")] == [
        int, float, int, int,
    ]  # fmt: skip
    written = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    assert "average_deal_size: 2400000\n" in written and "connect_rate: 1.5\n" in written
    assert ".0\n" not in written
    assert to_document(parse_assessment(written, content)) == document  # reads back the same
