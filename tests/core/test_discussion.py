"""The consensus discussion as projected (engine.discussion): the round's perception gaps (the consensus page's,
between the real departments) first, widest first, then the checklist's order; each group's median and spread;
the round's proposal and final answer; and comments that name neither a person nor a department too small to
stand alone (engine.anonymity.anonymous)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import load_content
from assessment.engine.anonymity import Group, anonymous, department_groups
from assessment.engine.discussion import DiscussionItem, discussion_items
from assessment.engine.workshop import RespondentAnswers, decisions, perception_of, responses_of
from assessment.vocabulary import ANSWERS

CONTENT = load_content()
ROLES = CONTENT.survey.roles
ITEMS = [item.id for item in CONTENT.checklist.items]
MQL, HANDOFF = "org.mql_definition", "org.handoff_rules"


def people(*specs: tuple[str, Mapping[str, str]]) -> list[RespondentAnswers]:
    """Respondents saying yes to everything but what ``specs`` gives; each comments on the MQL item."""
    return [
        RespondentAnswers(dept, f"name-{i}", {**dict.fromkeys(ITEMS, "yes"), **answers}, {MQL: f"said-{i}"})
        for i, (dept, answers) in enumerate(specs)
    ]


def discussed(
    respondents: list[RespondentAnswers], document: Mapping[str, Any] | None = None, minimum: int = 3
) -> tuple[tuple[DiscussionItem, ...], tuple[Group, ...]]:
    responses = responses_of(respondents)
    groups = department_groups(responses, ROLES, minimum)
    settled = decisions(perception_of(respondents, CONTENT), document or {})
    return discussion_items(responses, groups, settled, CONTENT.checklist, ROLES), groups


def test_the_gaps_between_the_groups_come_first_then_the_checklist_order() -> None:
    respondents = people(
        *[("marketing", {MQL: "partial", HANDOFF: "yes"})] * 3,
        *[("field_sales", {MQL: "no", HANDOFF: "no"})] * 3,
    )
    items, groups = discussed(respondents, {"checklist": {MQL: "partial"}})
    assert [g.department for g in groups] == ["marketing", "field_sales"]
    assert [i.item_id for i in items] == [HANDOFF, *(i for i in ITEMS if i != HANDOFF)]
    handoff, mql = items[0], next(i for i in items if i.item_id == MQL)
    assert handoff.gap and not mql.gap  # yes / no is a gap; partial / no is not
    assert mql.number == ITEMS.index(MQL) + 1 and handoff.number == ITEMS.index(HANDOFF) + 1
    assert mql.views == {"marketing": "partial", "field_sales": "no"}
    assert mql.spreads["marketing"] == {"yes": 0, "partial": 3, "no": 0, "unknown": 0, "unanswered": 0}
    assert mql.everyone == {"yes": 0, "partial": 3, "no": 3, "unknown": 0, "unanswered": 0}
    assert (mql.consensus, mql.final) == ("no", "partial")
    assert (handoff.consensus, handoff.final) == ("no", None)


def test_a_small_department_is_merged_into_other_but_its_gap_stays() -> None:
    merged_in = people(
        *[("marketing", {MQL: "yes"})] * 3, *[("management", {MQL: "no"})] * 2, ("customer_success", {MQL: "no"})
    )
    items, _groups = discussed(merged_in)
    mql = next(i for i in items if i.item_id == MQL)
    assert list(mql.views) == ["marketing", "other"] and mql.gap and items[0] is mql
    assert mql.spreads["other"] == {"yes": 0, "partial": 0, "no": 3, "unknown": 0, "unanswered": 0}

    # the lone customer-success person who says "no" is merged away for anonymity, never their gap: the
    # projected discussion flags it and puts it first, exactly as the consensus page does
    lone = people(*[("marketing", {MQL: "yes"})] * 3, ("customer_success", {MQL: "no"}))
    items, groups = discussed(lone)
    assert groups == ()
    consensus_page = perception_of(lone, CONTENT)
    assert [v.item_id for v in consensus_page.gaps] == [MQL]
    assert [i.item_id for i in items] == [MQL, *(i for i in ITEMS if i != MQL)]
    mql = items[0]
    assert mql.views == {} and mql.spreads == {} and mql.gap  # nothing shown by department, the gap flagged
    assert mql.everyone == {"yes": 3, "partial": 0, "no": 1, "unknown": 0, "unanswered": 0}
    assert mql.consensus == "no"  # the round's own proposal (the consensus page's), which names no department


def test_an_item_someone_never_answered_is_not_answered_never_dont_know() -> None:
    respondents = [
        *people(*[("marketing", {})] * 2, *[("field_sales", {})] * 2),
        RespondentAnswers("customer_success", "cs", {i: "yes" for i in ITEMS if i != MQL}),
    ]
    items, _groups = discussed(respondents, minimum=1)
    mql = next(i for i in items if i.item_id == MQL)
    assert mql.everyone == {"yes": 4, "partial": 0, "no": 0, "unknown": 0, "unanswered": 1}  # adds up to 5
    assert mql.views["customer_success"] == "unanswered"
    assert mql.spreads["customer_success"] == {"yes": 0, "partial": 0, "no": 0, "unknown": 0, "unanswered": 1}
    assert mql.consensus == "yes"  # not answered weighs as "don't know" did: left out without a gap


def test_comments_carry_their_group_never_a_name() -> None:
    respondents = people(*[("marketing", {})] * 3, *[("management", {})] * 2, ("customer_success", {}))
    responses = responses_of(respondents)
    groups = department_groups(responses, ROLES, 3)
    shown = anonymous(responses, groups)
    assert [r.department for r in shown] == ["marketing"] * 3 + ["other"] * 3
    assert {r.respondent for r in shown} == {""}
    assert [r.comments for r in shown] == [r.comments for r in responses]
    assert {r.department for r in anonymous(responses, ())} == {""}  # no breakdown: no department at all


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(ROLES), st.dictionaries(st.sampled_from(ITEMS), st.sampled_from(ANSWERS))),
        max_size=14,
    ),
    st.integers(min_value=1, max_value=4),
)
def test_every_item_once_and_each_group_shown_big_enough(specs: list[tuple[str, dict[str, str]]], minimum: int) -> None:
    respondents = [RespondentAnswers(d, "", a) for d, a in specs]
    items, groups = discussed(respondents, minimum=minimum)
    assert sorted(i.item_id for i in items) == sorted(ITEMS)
    gaps = [i.gap for i in items]
    assert gaps == sorted(gaps, reverse=True)  # every gap before every other item
    answered = len(responses_of(respondents))
    for item in items:
        assert sum(item.everyone.values()) == answered
        assert list(item.spreads) == [g.department for g in groups] == list(item.views)
        for counts in item.spreads.values():
            assert sum(counts.values()) >= minimum
    # the gaps and their order are the consensus page's, whatever the groups shown
    assert [i.item_id for i in items if i.gap] == [v.item_id for v in perception_of(respondents, CONTENT).gaps]
