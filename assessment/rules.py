"""The rules engine: evaluate every failure pattern over the facts and explain what fired."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.content.conditions import FactValue, Observation, evaluate
from assessment.content.model import SEVERITY_RANK, Content, Lang, Rule, Text
from assessment.wording import describe_value

# {fact.name} or {fact.name|unit}: the unit ("%", "時間", " hours") follows the value only when it is known,
# so a missing figure reads "未回答", never "未回答%".
PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[A-Za-z0-9_]+)+)(?:\|([^{}|]{1,12}))?\}")


@dataclass(frozen=True)
class Finding:
    """A raised failure pattern with the evidence behind it, ready to be said in a workshop."""

    rule_id: str
    severity: str
    title: Text
    cause: Text
    countermeasure: Text
    explanation: Text
    evidence: tuple[Observation, ...]
    addressed_by: tuple[str, ...]


def evaluate_rules(content: Content, facts: Mapping[str, FactValue]) -> list[Finding]:
    """Evaluate every rule; return those that fire, most severe first, in content order otherwise."""
    findings = []
    for order, rule in enumerate(content.rules):
        seen: list[Observation] = []
        if evaluate(rule.when, facts, seen) is True:
            findings.append((SEVERITY_RANK[rule.severity], order, _finding(rule, seen, facts, content)))
    return [finding for _, _, finding in sorted(findings, key=lambda f: (f[0], f[1]))]


def _finding(rule: Rule, seen: list[Observation], facts: Mapping[str, FactValue], content: Content) -> Finding:
    unique: dict[tuple[str, str, Any], Observation] = {}
    for observation in seen:
        unique.setdefault((observation.fact, observation.op, observation.expected), observation)
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        title=rule.title,
        cause=rule.cause,
        countermeasure=rule.countermeasure,
        explanation=Text(
            ja=fill_template(rule.explanation.ja, facts, content, "ja"),
            en=fill_template(rule.explanation.en, facts, content, "en"),
        ),
        evidence=tuple(unique.values()),
        addressed_by=rule.addressed_by,
    )


def fill_template(template: str, facts: Mapping[str, FactValue], content: Content, lang: Lang) -> str:
    """Replace ``{fact.name}`` placeholders with the fact's value in words."""

    def fill(match: re.Match[str]) -> str:
        value = facts.get(match.group(1))
        unit = (match.group(2) or "") if value is not None else ""
        return describe_value(match.group(1), value, content, lang) + unit

    return PLACEHOLDER.sub(fill, template)
