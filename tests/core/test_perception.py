"""Workshop respondents: department views, the proposed consensus, perception gaps, and the rules they feed."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import AssessmentError, load_content, parse_assessment
from assessment.content.model import Role
from assessment.engine.assessment_file import to_document
from assessment.engine.perception import Response, aggregate, answer_counts
from assessment.engine.wording import role_label
from assessment.presentation.export import diagnosis_to_dict
from assessment.vocabulary import ANSWER_LEVEL, ANSWERS, NOT_ANSWERED, Text
from tests.core.builders import build, raised, run

CONTENT = load_content()


def view(responses: list[Response], item: str = "org.mql_definition") -> Any:
    return aggregate(responses, CONTENT.checklist, CONTENT.survey.roles).item(item)


def test_department_view_is_its_median_so_a_big_team_does_not_outvote_a_small_one() -> None:
    responses = [
        *(Response("marketing", {"org.mql_definition": "yes"}) for _ in range(5)),
        Response("field_sales", {"org.mql_definition": "no"}),
    ]
    item = view(responses)
    assert item.by_department == {"marketing": "yes", "field_sales": "no"}
    assert item.distribution == {"yes": 5, "no": 1}
    assert item.consensus == "no"  # the lower median of the department views: not yet in place
    assert item.gap is True and item.spread == 2


@pytest.mark.parametrize(
    ("answers", "consensus", "gap"),
    [
        ({"marketing": "yes", "field_sales": "partial"}, "partial", False),
        ({"marketing": "yes", "inside_sales": "yes", "field_sales": "yes"}, "yes", False),
        ({"marketing": "yes", "inside_sales": "partial", "field_sales": "no"}, "partial", True),
        ({"marketing": "unknown", "field_sales": "no"}, "no", False),
        ({"marketing": "unknown"}, "unknown", False),
        # a gap leans to "not in place": a department's "don't know" counts as "no", and "yes" is never proposed
        ({"marketing": "yes", "inside_sales": "yes", "customer_success": "unknown", "field_sales": "no"}, "no", True),
        ({"marketing": "yes", "inside_sales": "yes", "customer_success": "yes", "management": "yes",
          "field_sales": "no"}, "partial", True),
        ({"marketing": "yes", "inside_sales": "unknown", "field_sales": "no"}, "no", True),
        ({"marketing": "yes", "inside_sales": "yes", "customer_success": "unknown"}, "yes", False),
    ],
)  # fmt: skip
def test_consensus_and_gap(answers: dict[str, str], consensus: str, gap: bool) -> None:
    item = view([Response(dept, {"org.mql_definition": a}) for dept, a in answers.items()])
    assert (item.consensus, item.gap) == (consensus, gap)


def test_the_gap_in_the_issue_is_proposed_as_not_in_place() -> None:
    """マーケ はい, IS はい, CS わからない, FS いいえ: the departments disagree, so the proposal is いいえ, not はい."""
    item = view([
        Response("marketing", {"org.mql_definition": "yes"}),
        Response("inside_sales", {"org.mql_definition": "yes"}),
        Response("customer_success", {"org.mql_definition": "unknown"}),
        Response("field_sales", {"org.mql_definition": "no"}),
    ])  # fmt: skip
    assert item.gap is True
    assert item.consensus == "no"


def _lower_median(levels: list[int]) -> int:
    return sorted(levels)[(len(levels) - 1) // 2]


department_answers = st.dictionaries(
    st.sampled_from(CONTENT.survey.roles), st.lists(st.sampled_from(ANSWERS), min_size=1, max_size=4), min_size=1
)


@settings(max_examples=300, deadline=None)
@given(answers=department_answers)
def test_a_gap_is_never_proposed_better_than_the_median_counting_dont_know_as_no(
    answers: dict[str, list[str]],
) -> None:
    item = view([Response(dept, {"org.mql_definition": a}) for dept, said in answers.items() for a in said])
    if not item.gap:
        return
    everyone = [ANSWER_LEVEL.get(v, 0) for v in item.by_department.values()]
    assert item.consensus != "yes"
    assert ANSWER_LEVEL[item.consensus] <= _lower_median(everyone)


def test_departments_are_in_the_survey_order_and_a_role_it_does_not_name_comes_last() -> None:
    perception = aggregate(
        [Response("board", {}), Response("customer_success", {}), Response("marketing", {})],
        CONTENT.checklist,
        CONTENT.survey.roles,
    )
    assert perception.departments == ("marketing", "customer_success", "board")


def test_gaps_are_ordered_widest_first_and_cover_only_disagreements() -> None:
    perception = aggregate(
        [
            Response("marketing", {"org.mql_definition": "yes", "org.handoff_rules": "yes", "org.kpis_defined": "yes"}),
            Response(
                "field_sales", {"org.mql_definition": "no", "org.handoff_rules": "partial", "org.kpis_defined": "yes"}
            ),
        ],
        CONTENT.checklist,
        CONTENT.survey.roles,
    )
    assert [v.item_id for v in perception.gaps] == ["org.mql_definition"]
    assert perception.respondents == 2 and perception.departments == ("marketing", "field_sales")


WORKSHOP = [
    {"department": "marketing", "name": "佐藤", "answers": {"org.mql_definition": "yes", "org.handoff_rules": True}},
    {"department": "field_sales", "answers": {"org.mql_definition": False, "org.handoff_rules": "no"}},
]


def test_perception_gaps_feed_the_rules_as_evidence() -> None:
    document = build(respondents=WORKSHOP)
    findings = {f.rule_id: f for f in run(document).findings}
    assert {"lead_quality", "handoff_friction"} <= set(findings)
    evidence = {o.fact: o.value for o in findings["lead_quality"].evidence}
    assert evidence["gap.org.mql_definition"] is True


def test_agreeing_departments_raise_nothing() -> None:
    agreeing = [
        {"department": "marketing", "answers": {"org.mql_definition": "yes", "org.handoff_rules": "yes"}},
        {"department": "field_sales", "answers": {"org.mql_definition": "yes", "org.handoff_rules": "partial"}},
    ]
    assert raised(build(respondents=agreeing)) == set()


def test_without_respondents_gap_facts_stay_unknown() -> None:
    diagnosis = run(build())
    assert diagnosis.perception is None
    assert "gap.org.mql_definition" not in diagnosis.facts


def test_respondents_round_trip_through_the_interchange_format() -> None:
    assessment = parse_assessment(build(respondents=WORKSHOP), CONTENT)
    document = to_document(assessment)
    assert document["respondents"][0] == {
        "department": "marketing", "name": "佐藤", "answers": {"org.mql_definition": "yes", "org.handoff_rules": "yes"},
    }  # fmt: skip
    assert parse_assessment(document, CONTENT).responses == assessment.responses


def test_json_output_lists_the_gaps() -> None:
    data = diagnosis_to_dict(run(build(respondents=WORKSHOP)), CONTENT, "en")
    perception = json.loads(json.dumps(data))["perception"]
    assert perception["respondents"] == 2
    assert set(perception["gaps"]) == {"org.mql_definition", "org.handoff_rules"}
    mql = next(i for i in perception["items"] if i["id"] == "org.mql_definition")
    assert mql["by_department"] == {"marketing": "yes", "field_sales": "no"}


@pytest.mark.parametrize(
    ("respondents", "message"),
    [
        ([{"department": "sales", "answers": {}}], "respondents[0].department: 'sales' is not one of"),
        ([{"answers": {}}], "respondents[0].department: is required"),
        ([{"department": "marketing", "answers": {"org.mql_definition": "maybe"}}],
         "respondents[0].answers.org.mql_definition: 'maybe' is not one of"),
        ([{"department": "marketing", "answers": {"org.nope": "yes"}}], "respondents[0].answers.org.nope:"),
        ({"department": "marketing"}, "respondents: must be a list"),
        ([{"department": "marketing", "role": "x"}], "respondents[0].role: 'role' is not a known field"),
    ],
)  # fmt: skip
def test_bad_respondents_are_named(respondents: Any, message: str) -> None:
    with pytest.raises(AssessmentError) as error:
        parse_assessment(build(respondents=respondents), CONTENT)
    assert any(m.startswith(message) for m in error.value.messages("en")), error.value.messages("en")


def test_where_a_respondent_comes_from_is_the_survey_content() -> None:
    assert CONTENT.survey.roles == (
        "marketing", "inside_sales", "field_sales", "customer_success", "management", "other",
    )  # fmt: skip
    assert [role_label(role, CONTENT, "en") for role in CONTENT.survey.roles[-2:]] == ["Management", "Other"]
    assert role_label("management", CONTENT, "ja") == "経営層"


def test_a_role_added_to_the_survey_is_accepted_and_named() -> None:
    board = Role("board", Text(ja="取締役会", en="Board"))
    content = replace(CONTENT, survey=replace(CONTENT.survey, other_roles=(*CONTENT.survey.other_roles, board)))
    document = build(respondents=[{"department": "board", "answers": {"org.mql_definition": "no"}}])
    assessment = parse_assessment(document, content)
    assert [r.department for r in assessment.responses] == ["board"]
    assert role_label("board", content, "en") == "Board"
    with pytest.raises(AssessmentError) as error:
        parse_assessment(document, CONTENT)
    assert error.value.messages("en") == [
        "respondents[0].department: 'board' is not one of marketing, inside_sales, field_sales, customer_success, "
        "management, other"
    ]


@pytest.mark.pdf
def test_pdf_has_the_disagreement_section() -> None:
    from pypdf import PdfReader

    from assessment.report import render_pdf

    pdf = render_pdf(run(build(respondents=WORKSHOP)), CONTENT, "ja")
    text = "".join("".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "部門間の認識ギャップ" in text and "合意案" in text


def test_each_department_shows_how_its_people_answered_in_the_model_order() -> None:
    """Beside the median, each department's spread: field sales' median is "partial", but one of its three
    people says "yes" and one "no"; an item someone left open counts as not answered, never "don't know"."""
    responses = [
        Response("field_sales", {"org.mql_definition": "yes"}),
        Response("marketing", {"org.mql_definition": "yes"}),
        Response("field_sales", {"org.mql_definition": "partial"}),
        Response("field_sales", {"org.mql_definition": "no"}),
        Response("marketing", {}),
    ]
    item = view(responses)
    assert list(item.department_counts) == ["marketing", "field_sales"]
    assert item.department_counts["marketing"] == {"yes": 1, "partial": 0, "no": 0, "unknown": 0, "unanswered": 1}
    assert item.department_counts["field_sales"] == {"yes": 1, "partial": 1, "no": 1, "unknown": 0, "unanswered": 0}
    assert list(item.department_counts["marketing"]) == [*ANSWERS, NOT_ANSWERED]
    assert item.by_department == {"marketing": "yes", "field_sales": "partial"}


def test_answer_counts_list_every_answer_and_count_anything_else_as_not_answered() -> None:
    assert answer_counts([]) == {"yes": 0, "partial": 0, "no": 0, "unknown": 0, "unanswered": 0}
    counted = answer_counts(["yes", "yes", "maybe", "unknown", NOT_ANSWERED])
    assert counted == {"yes": 2, "partial": 0, "no": 0, "unknown": 1, "unanswered": 2}


def test_a_department_that_never_answered_an_item_is_not_answered_but_weighs_as_dont_know() -> None:
    """The consensus page's CS line said "don't know (don't know 1)" for a person who never answered; the
    proposal still leans to "not in place" as "don't know" does."""
    responses = [
        Response("marketing", {"org.mql_definition": "yes"}),
        Response("field_sales", {"org.mql_definition": "no"}),
        Response("customer_success", {"org.handoff_rules": "yes"}),
        Response("inside_sales", {"org.mql_definition": "unknown"}),
    ]
    item = view(responses)
    assert item.by_department["customer_success"] == NOT_ANSWERED and item.by_department["inside_sales"] == "unknown"
    assert item.department_counts["customer_success"][NOT_ANSWERED] == 1
    assert item.department_counts["customer_success"]["unknown"] == 0
    assert item.gap and item.consensus == "no"  # not answered counts as "no" in a gap, exactly as "don't know"
    dont_know = view([*responses[:2], Response("customer_success", {"org.mql_definition": "unknown"})])
    assert dont_know.consensus == item.consensus


@settings(max_examples=300, deadline=None)
@given(
    people=st.lists(
        st.tuples(
            st.sampled_from(CONTENT.survey.roles),
            st.dictionaries(st.sampled_from([i.id for i in CONTENT.checklist.items]), st.sampled_from(ANSWERS)),
        ),
        max_size=12,
    )
)
def test_a_departments_counts_add_up_to_its_respondents_and_hold_its_median(
    people: list[tuple[str, dict[str, str]]],
) -> None:
    perception = aggregate([Response(d, a) for d, a in people], CONTENT.checklist, CONTENT.survey.roles)
    size = {d: sum(1 for who, _ in people if who == d) for d, _ in people}
    for item in perception.items:
        assert list(item.department_counts) == list(perception.departments)
        for department, counts in item.department_counts.items():
            assert sum(counts.values()) == size[department]
            assert all(n >= 0 for n in counts.values()) and list(counts) == [*ANSWERS, NOT_ANSWERED]
            said = [a for d, answers in people if d == department for a in [answers.get(item.item_id, NOT_ANSWERED)]]
            assert counts == {a: said.count(a) for a in (*ANSWERS, NOT_ANSWERED)}
            if item.by_department[department] != "unknown":  # the median is one of the answers given
                assert counts[item.by_department[department]] > 0
