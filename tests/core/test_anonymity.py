"""Which departments a projected screen may show apart (engine/anonymity.py)."""

from __future__ import annotations

from assessment import load_content
from assessment.engine.anonymity import department_groups
from assessment.engine.perception import Response

ROLES = load_content().survey.roles


def people(**sizes: int) -> list[Response]:
    return [Response(department=d, answers={"x": "yes"}) for d, n in sizes.items() for _ in range(n)]


def shape(responses: list[Response], minimum: int = 3) -> list[tuple[str, int]]:
    return [(g.department, len(g.members)) for g in department_groups(responses, ROLES, minimum)]


def test_the_model_order_with_other_last_and_small_departments_merged() -> None:
    found = shape(people(other=1, customer_success=3, management=2, marketing=4))
    assert found == [("marketing", 4), ("customer_success", 3), ("other", 3)]


def test_no_breakdown_below_the_minimum_in_all_or_with_a_single_group() -> None:
    assert shape(people(marketing=1, field_sales=1)) == []
    assert shape(people(marketing=5)) == []
    assert shape(people(marketing=2, field_sales=2)) == []  # one "other" of four is the overall itself


def test_a_small_remainder_takes_the_smallest_department_the_last_in_the_model_order_on_a_tie() -> None:
    assert shape(people(marketing=3, field_sales=3, inside_sales=3, customer_success=1)) == [
        ("marketing", 3), ("inside_sales", 3), ("other", 4),
    ]  # fmt: skip


def test_people_who_answered_nothing_do_not_count() -> None:
    responses = [*people(marketing=3, field_sales=2), Response(department="field_sales", answers={})]
    assert shape(responses) == []
