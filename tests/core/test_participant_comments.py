"""Issue 16 (defect 6): participants' comments travel with the round's file into the view, with the department
(THE MODEL's order), never a name unless asked, and a short excerpt for the PDF."""

from __future__ import annotations

import pytest

from assessment import diagnose, load_content, parse_assessment
from assessment.engine.assessment_file import to_document
from assessment.errors import AssessmentError
from assessment.presentation.view import build_view
from assessment.presentation.view.perception import EXCERPT, item_comments

CONTENT = load_content()
MQL = "org.mql_definition"
HANDOFF = "org.handoff_rules"
ITEMS = [item.id for item in CONTENT.checklist.items]
OTHER = next(i for i in ITEMS if i not in (MQL, HANDOFF))


def document() -> dict:
    return {
        "version": 1,
        "client": {"name": "株式会社テスト"},
        "respondents": [
            {"department": "field_sales", "name": "山田", "answers": {MQL: "no", HANDOFF: "no"},
             "comments": {MQL: "MQLの基準を見たことがない", OTHER: "x" * (EXCERPT + 50)}},
            {"department": "marketing", "name": "鈴木", "answers": {MQL: "yes", HANDOFF: "yes"},
             "comments": {MQL: "定義は共有済み"}},
        ],
    }  # fmt: skip


def test_respondents_comments_are_read_and_written_back() -> None:
    parsed = parse_assessment(document(), CONTENT)
    assert parsed.responses[0].comments[MQL] == "MQLの基準を見たことがない"
    again = to_document(parsed)
    assert again["respondents"][0]["comments"][MQL] == "MQLの基準を見たことがない"
    assert parse_assessment(again, CONTENT) == parsed
    without = {**document(), "respondents": [{"department": "marketing", "answers": {MQL: "yes"}}]}
    assert "comments" not in to_document(parse_assessment(without, CONTENT))["respondents"][0]


def test_a_comment_on_an_unknown_item_is_reported_with_its_path() -> None:
    bad = document()
    bad["respondents"][0]["comments"] = {"org.nope": "?"}
    with pytest.raises(AssessmentError) as error:
        parse_assessment(bad, CONTENT)
    assert [p.path for p in error.value.problems] == ["respondents[0].comments.org.nope"]


def test_the_view_gives_each_gap_its_comments_in_the_model_order_without_names() -> None:
    view = build_view(diagnose(parse_assessment(document(), CONTENT), CONTENT), CONTENT, "ja", lambda s: s)
    perception = view["perception"]
    assert perception is not None
    gap = next(g for g in perception["gaps"] if g["text"] == CONTENT.checklist.item(MQL).text.ja)
    assert [(c["department"], c["text"], c["name"]) for c in gap["comments"]] == [
        ("マーケティング", "定義は共有済み", ""),  # marketing before field sales, whatever the order of answering
        ("フィールドセールス", "MQLの基準を見たことがない", ""),
    ]
    [other] = perception["commented"]
    assert other["comments"][0]["excerpt"].endswith("…") and len(other["comments"][0]["excerpt"]) == EXCERPT


def test_names_only_when_asked() -> None:
    parsed = parse_assessment(document(), CONTENT)
    assert item_comments(parsed.responses, CONTENT, "en")[MQL][1]["name"] == ""
    named = item_comments(parsed.responses, CONTENT, "en", names=True)[MQL]
    assert [(c["department"], c["name"]) for c in named] == [("Marketing", "鈴木"), ("Field sales", "山田")]
