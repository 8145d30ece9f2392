"""The rules engine: evaluate every failure pattern over the facts and explain what fired."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from assessment.content.catalogue import PLACEHOLDER
from assessment.content.conditions import FactValue, Observation, evaluate
from assessment.content.model import Content, Rule
from assessment.engine.wording import describe_value
from assessment.i18n import context_translator, translator
from assessment.vocabulary import LANGS, SEVERITY_RANK, Lang, Text

# an answer of "don't know" supports a risk less than a definite "no"
_WEAK_SUPPORT = 0.5
# facts that observe outcomes (benchmarked figures, the funnel's consistency, workshop disagreement)
OBSERVED = ("status.", "metric.", "ratio.", "gap.", "count.perception_gaps", "quality.")


@dataclass(frozen=True)
class Finding:
    """A raised failure pattern with the evidence behind it, ready to be said in a workshop.

    ``evidence`` holds one observation per fact the rule looked at (the matching one where there is one);
    ``strength`` counts the facts that support the risk (a "don't know" or a missing figure counts half);
    ``gap_items`` are the checklist items whose perception gap fed it.
    """

    rule_id: str
    severity: str
    title: Text
    cause: Text
    countermeasure: Text
    explanation: Text
    evidence: tuple[Observation, ...]
    addressed_by: tuple[str, ...]
    strength: float = 0.0
    gap_items: tuple[str, ...] = ()
    escalated: bool = False
    confirmed: bool = True  # False: it holds only if the statements answered "don't know" turn out to be gaps

    @property
    def visible(self) -> bool:
        """Whether the risk already shows in the client's figures or workshop, not only in missing practices."""
        return any(o.fact.startswith(OBSERVED) for o in self.supporting)

    @property
    def supporting(self) -> tuple[Observation, ...]:
        """The observations that hold for this client (what a reader is shown as evidence)."""
        return tuple(o for o in self.evidence if o.result is True)


def evaluate_rules(content: Content, facts: Mapping[str, FactValue]) -> list[Finding]:
    """Evaluate every rule; return those that fire, ranked by relevance to this client.

    A risk that holds only because statements answered "don't know" are counted as gaps is *unconfirmed*: it
    is kept (the seeds' checklist treats an unknown as a gap to close) but ranked after every confirmed risk.
    The order is by severity (after the rule's own overrides for this client); among equals, a risk raised
    by such an override first (it is there because of who this client is), then a risk already visible in
    the client's figures or workshop before one inferred from missing practices, then by how many facts
    support it, then by content order.
    """
    ranked = []
    known = {
        fact: None if fact.startswith("answer.") and value == "unknown" else value for fact, value in facts.items()
    }
    for order, rule in enumerate(content.rules):
        seen: list[Observation] = []
        if evaluate(rule.when, facts, seen) is True:
            confirmed = evaluate(rule.when, known) is True
            finding = _finding(rule, seen, facts, content, confirmed)
            rank = SEVERITY_RANK[finding.severity]
            key = (not confirmed, rank, not finding.escalated, not finding.visible, -finding.strength, order)
            ranked.append((key, finding))
    return [finding for _, finding in sorted(ranked, key=lambda pair: pair[0])]


def severity_for(rule: Rule, facts: Mapping[str, FactValue]) -> str:
    """The rule's severity for this client: the first override whose condition holds, else its own."""
    for override in rule.severity_if:
        if evaluate(override.when, facts) is True:
            return override.severity
    return rule.severity


def explain(
    rule: Rule,
    facts: Mapping[str, FactValue],
    content: Content,
    evidence: tuple[Observation, ...] = (),
    confirmed: bool = True,
) -> Text:
    """The rule's explanation for this client: the sentences whose condition holds, facts filled in.

    Statements answered "don't know" that the risk rests on are named last, as facts still to confirm; a risk
    that rests on nothing else opens by saying it is an inference to be confirmed.
    """
    said = [sentence for sentence in rule.explanation if sentence.when is None or evaluate(sentence.when, facts)]
    unknown = [
        content.checklist.item(o.fact.removeprefix("answer."))
        for o in evidence
        if o.result is True and o.fact.startswith("answer.") and o.value == "unknown"
    ]
    words = {
        lang: _explanation(
            [Text(s.ja, s.en).get(lang) for s in said],
            [i.text.get(lang) for i in unknown],
            confirmed,
            facts,
            content,
            lang,
        )
        for lang in LANGS
    }
    return Text(ja=words["ja"], en=words["en"])


def _explanation(
    sentences: list[str],
    unknown: list[str],
    confirmed: bool,
    facts: Mapping[str, FactValue],
    content: Content,
    lang: Lang,
) -> str:
    """The explanation in one language: the sentences said, the statements still to confirm, the caveat."""
    _ = translator(lang)
    pgettext = context_translator(lang)
    text = _sentences([fill_template(s, facts, content, lang) for s in sentences], lang)
    if unknown:
        statement = pgettext("a statement answered 'don't know'", "{statement}")
        listed = pgettext("list separator", "; ").join(statement.format(statement=s.rstrip(".")) for s in unknown)
        note = _("Still to confirm (answered 'don't know'): {statements}.").format(statements=listed)
        then = pgettext("an explanation, then its statements to confirm", "{text} {note}")
        # with no sentence before it the note still follows a sentence break (a space in English)
        text = then.format(text=text, note=note) if text else _sentences(["", note], lang)
    if not confirmed:
        caveat = _("This risk is inferred from answers of 'don't know' and may not apply once they are confirmed.")
        text = _sentences([caveat, text], lang)
    return text.strip()


def _sentences(sentences: list[str], lang: Lang) -> str:
    """Sentences one after the other (a space between them in English, none in Japanese)."""
    pgettext = context_translator(lang)
    follow = pgettext("sentences", "{text} {sentence}")
    text = sentences[0] if sentences else ""
    for sentence in sentences[1:]:
        text = follow.format(text=text, sentence=sentence)
    return text


def _finding(
    rule: Rule, seen: list[Observation], facts: Mapping[str, FactValue], content: Content, confirmed: bool = True
) -> Finding:
    by_fact: dict[str, Observation] = {}
    for observation in seen:
        kept = by_fact.get(observation.fact)
        if kept is None or (kept.result is not True and observation.result is True):
            by_fact[observation.fact] = observation
    evidence = tuple(by_fact.values())
    strength = sum(_WEAK_SUPPORT if _weak(o) else 1.0 for o in evidence if o.result is True)
    gap_items = tuple(o.fact.removeprefix("gap.") for o in evidence if o.fact.startswith("gap.") and o.result)
    severity = severity_for(rule, facts)
    return Finding(
        rule_id=rule.id,
        severity=severity,
        title=rule.title,
        cause=rule.cause,
        countermeasure=rule.countermeasure,
        explanation=explain(rule, facts, content, evidence, confirmed),
        evidence=evidence,
        addressed_by=rule.addressed_by,
        strength=strength,
        gap_items=gap_items,
        escalated=SEVERITY_RANK[severity] < SEVERITY_RANK[rule.severity],
        confirmed=confirmed,
    )


def _weak(observation: Observation) -> bool:
    return observation.value is None or observation.value == "unknown"


def fill_template(template: str, facts: Mapping[str, FactValue], content: Content, lang: Lang) -> str:
    """Replace ``{fact.name}`` placeholders with the fact's value in words."""

    def fill(match: re.Match[str]) -> str:
        value = facts.get(match.group(1))
        unit = (match.group(2) or "") if value is not None else ""
        return describe_value(match.group(1), value, content, lang) + unit

    return PLACEHOLDER.sub(fill, template)
