"""Conditions over facts, as written in the content files, and their evaluation.

A condition is YAML data::

    all:
      - {fact: answer.org.mql_definition, in: [no, unknown]}
      - any:
          - {fact: status.sql_rate, eq: below}
          - {fact: metric.lead_response_hours, gt: 24}
      - at_least: 2
        of: [...]
      - not: {fact: dept.inside_sales, eq: none}
      - unless: {fact: status.sql_rate, eq: within}

``unless`` states counter-evidence: it is true unless its condition definitely holds, so a risk is not
raised when the client's own figures disprove it, while a missing figure does not clear it.

Evaluation uses three-valued logic: a comparison on a fact the client did not give is *unknown*, so a
missing funnel figure neither raises nor clears a risk on its own. A rule fires only on a definite *true*.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union

from assessment.vocabulary import EQUALITY_OPS, OPERATORS, ORDER_OPS, SET_OPS

FactValue = Union[str, int, float, bool, None]  # noqa: UP007 - used at runtime in isinstance-free code
Facts = Mapping[str, FactValue]
Tri = Union[bool, None]  # noqa: UP007


class ConditionSyntaxError(ValueError):
    """A condition in a content file is malformed; ``path`` says where inside the condition."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Comparison:
    """Compare one fact with a value."""

    fact: str
    op: str
    value: Any

    def describe(self) -> str:
        """Return the comparison as a short formula, e.g. ``status.sql_rate eq below``."""
        return f"{self.fact} {self.op} {_show(self.value)}"


@dataclass(frozen=True)
class AllOf:
    """True when every part is true."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when some part is true."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """True when the part is false."""

    part: Condition


@dataclass(frozen=True)
class Unless:
    """True unless the part is definitely true: counter-evidence that clears a risk when it is there."""

    part: Condition


@dataclass(frozen=True)
class AtLeast:
    """True when at least ``count`` parts are true."""

    count: int
    parts: tuple[Condition, ...]


Condition = Union[Comparison, AllOf, AnyOf, Not, Unless, AtLeast]  # noqa: UP007


@dataclass(frozen=True)
class Observation:
    """One comparison as evaluated: the fact, its value, what was expected and the outcome."""

    fact: str
    value: FactValue
    op: str
    expected: Any
    result: Tri


def parse_condition(data: Any, path: str = "") -> Condition:
    """Build a condition from YAML data, raising :class:`ConditionSyntaxError` with the path on error."""
    if not isinstance(data, dict) or not data:
        raise ConditionSyntaxError(path, "a condition must be a mapping such as {fact: ..., eq: ...}")
    keys = set(data)
    if "fact" in keys:
        return _parse_comparison(data, path)
    if keys == {"all"} or keys == {"any"}:
        key = next(iter(keys))
        parts = _parse_list(data[key], _join(path, key))
        return AllOf(parts) if key == "all" else AnyOf(parts)
    if keys == {"not"}:
        return Not(parse_condition(data["not"], _join(path, "not")))
    if keys == {"unless"}:
        return Unless(parse_condition(data["unless"], _join(path, "unless")))
    if keys == {"at_least", "of"}:
        count = data["at_least"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ConditionSyntaxError(_join(path, "at_least"), "must be a whole number of at least 1")
        parts = _parse_list(data["of"], _join(path, "of"))
        if count > len(parts):
            raise ConditionSyntaxError(
                _join(path, "at_least"), f"{count} is more than the {len(parts)} conditions listed"
            )
        return AtLeast(count, parts)
    raise ConditionSyntaxError(
        path, f"unknown condition keys {sorted(keys)}; use fact, all, any, not, unless or at_least/of"
    )


def _parse_list(data: Any, path: str) -> tuple[Condition, ...]:
    if not isinstance(data, list) or not data:
        raise ConditionSyntaxError(path, "must be a non-empty list of conditions")
    return tuple(parse_condition(part, f"{path}[{index}]") for index, part in enumerate(data))


def _parse_comparison(data: dict[str, Any], path: str) -> Comparison:
    fact = data["fact"]
    if not isinstance(fact, str) or not fact:
        raise ConditionSyntaxError(_join(path, "fact"), "must be a fact name such as answer.org.kpis_defined")
    ops = [key for key in data if key != "fact"]
    if len(ops) != 1:
        raise ConditionSyntaxError(
            path,
            f"a comparison needs exactly one operator out of {', '.join(OPERATORS)}; got {ops or 'none'}",
        )
    op = ops[0]
    if op not in OPERATORS:
        raise ConditionSyntaxError(_join(path, op), f"unknown operator; use one of {', '.join(OPERATORS)}")
    value = data[op]
    where = _join(path, op)
    if op in ORDER_OPS and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConditionSyntaxError(where, f"{op} needs a number, got {_show(value)}")
    if op in SET_OPS and (not isinstance(value, list) or not value):
        raise ConditionSyntaxError(where, f"{op} needs a non-empty list, got {_show(value)}")
    if op in SET_OPS:
        value = tuple(value)
    if op == "present" and not isinstance(value, bool):
        raise ConditionSyntaxError(where, "present needs true or false")
    if op in EQUALITY_OPS and isinstance(value, list | dict):
        raise ConditionSyntaxError(where, f"{op} needs a single value; use in/not_in for lists")
    return Comparison(fact, op, value)


def evaluate(condition: Condition, facts: Facts, seen: list[Observation] | None = None) -> Tri:
    """Evaluate ``condition`` over ``facts`` (three-valued); append every comparison made to ``seen``."""
    if isinstance(condition, Comparison):
        value = facts.get(condition.fact)
        result = _compare(condition.op, value, condition.value)
        if seen is not None:
            seen.append(Observation(condition.fact, value, condition.op, condition.value, result))
        return result
    if isinstance(condition, Not):
        inner = evaluate(condition.part, facts, seen)
        return None if inner is None else not inner
    if isinstance(condition, Unless):
        # counter-evidence is not evidence for the risk: its comparisons stay out of ``seen``
        return evaluate(condition.part, facts) is not True
    results = [evaluate(part, facts, seen) for part in condition.parts]
    if isinstance(condition, AllOf):
        return False if False in results else (None if None in results else True)
    if isinstance(condition, AnyOf):
        return True if True in results else (None if None in results else False)
    trues = sum(1 for r in results if r is True)
    unknowns = sum(1 for r in results if r is None)
    if trues >= condition.count:
        return True
    return None if trues + unknowns >= condition.count else False


def _compare(op: str, value: FactValue, expected: Any) -> Tri:
    if op == "present":
        return (value is not None) is expected
    if value is None:
        return None
    if op in ORDER_OPS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        number, bound = float(value), float(expected)
        if op == "lt":
            return number < bound
        if op == "le":
            return number <= bound
        if op == "gt":
            return number > bound
        return number >= bound
    if op == "eq":
        return bool(value == expected)
    if op == "ne":
        return bool(value != expected)
    if op == "in":
        return bool(value in expected)
    return bool(value not in expected)


def facts_used(condition: Condition) -> Iterator[tuple[str, Comparison]]:
    """Yield every fact name a condition looks at, with its comparison (for validation)."""
    if isinstance(condition, Comparison):
        yield condition.fact, condition
    elif isinstance(condition, Not | Unless):
        yield from facts_used(condition.part)
    else:
        for part in condition.parts:
            yield from facts_used(part)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _show(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
