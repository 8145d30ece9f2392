"""The facts content may name: in a condition, by name, and in a rule's sentences, as ``{fact.name}`` placeholders.

For each fact: its name, the kind of value it holds (the content checker validates every fact a rule, phase,
BPR stage or task names, and every value compared with it, against :func:`fact_catalogue`) and what a reader
calls it (:func:`fact_label`). The engine gathers the values (:mod:`assessment.engine.facts`); a test holds
what it gathers to this catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assessment.content.model import Content
from assessment.i18n import context_translator, translator
from assessment.vocabulary import ANSWERS, BENCHMARK_STATUSES, FUNNEL_QUALITIES, STAFFING, TOOL_STATUSES, Lang

# {fact.name} or {fact.name|unit}: the unit ("%", "時間", " hours") follows the value only when it is known,
# so a missing figure reads "未回答", never "未回答%".
PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[A-Za-z0-9_]+)+)(?:\|([^{}|]{1,12}))?\}")
# Facts an organisation phase / BPR stage may not use (they are computed from those conditions).
COMPUTED_LATER = {"phase": ("phase.", "bpr."), "bpr": ("bpr.",)}


@dataclass(frozen=True)
class FactSpec:
    """What kind of value a fact holds: ``choice`` (with its choices), ``number``, ``bool`` or ``text``."""

    kind: str
    choices: tuple[str, ...] = ()


def fact_catalogue(content: Content) -> dict[str, FactSpec]:
    """Return every fact name a condition may use, with the kind of value it holds."""
    number, text = FactSpec("number"), FactSpec("text")
    catalogue: dict[str, FactSpec] = {
        "client.employees": number,
        "client.industry": text,
        "tool.spreadsheet": FactSpec("bool"),
        "score.overall": number,
        "count.dedicated_departments": number,
        "count.staffed_departments": number,
        "count.unknown_answers": number,
        "phase.current": number,
        "phase.by_size": number,
        "phase.recommended": number,
        "phase.gap": number,
        "phase.step": number,
        "bpr.stage": number,
        "count.perception_gaps": number,
        "count.respondents": number,
        "quality.funnel": FactSpec("choice", FUNNEL_QUALITIES),
    }
    for item in content.checklist.items:
        catalogue[f"answer.{item.id}"] = FactSpec("choice", ANSWERS)
        catalogue[f"gap.{item.id}"] = FactSpec("bool")
    for axis in content.checklist.axes:
        catalogue[f"score.{axis.id}"] = number
    for dept in content.survey.departments:
        catalogue[f"dept.{dept.id}"] = FactSpec("choice", STAFFING)
    for tool in content.survey.tools:
        catalogue[f"tool.{tool.id}"] = FactSpec("choice", TOOL_STATUSES)
        catalogue[f"tool.{tool.id}_product"] = text
    for figure in content.survey.funnel:
        catalogue[f"funnel.{figure.id}"] = number
    for benchmark in content.benchmarks.benchmarks:
        catalogue[f"metric.{benchmark.metric}"] = number
        catalogue[f"status.{benchmark.metric}"] = FactSpec("choice", BENCHMARK_STATUSES)
        if benchmark.min is not None or benchmark.max is not None:
            catalogue[f"ratio.{benchmark.metric}"] = number
    return catalogue


def _computed_labels(lang: Lang) -> dict[str, str]:
    """What a reader calls the facts the engine computes (not named in the content)."""
    pgettext = context_translator(lang)
    return {
        "client.employees": pgettext("fact", "Employees"),
        "client.industry": pgettext("fact", "Industry"),
        "tool.spreadsheet": pgettext("fact", "Funnel kept in spreadsheets"),
        "score.overall": pgettext("fact", "Overall score"),
        "count.dedicated_departments": pgettext("fact", "Dedicated teams"),
        "count.staffed_departments": pgettext("fact", "Teams with an owner"),
        "count.unknown_answers": pgettext("fact", "Items answered 'don't know'"),
        "phase.current": pgettext("fact", "Current phase"),
        "phase.by_size": pgettext("fact", "Size-fit phase"),
        "phase.recommended": pgettext("fact", "Recommended phase"),
        "phase.gap": pgettext("fact", "Phases behind the size-fit phase"),
        "phase.step": pgettext("fact", "Phases to the recommended one"),
        "bpr.stage": pgettext("fact", "BPR step"),
        "count.perception_gaps": pgettext("fact", "Items the departments see differently"),
        "count.respondents": pgettext("fact", "Respondents"),
        "quality.funnel": pgettext("fact", "Consistency of the funnel figures"),
    }


def fact_label(fact: str, content: Content, lang: Lang) -> str:
    """Return a reader's name for a fact: the checklist statement, figure label, metric title, ..."""
    _ = translator(lang)
    namespace, _sep, name = fact.partition(".")
    computed = _computed_labels(lang)
    if fact in computed:
        return computed[fact]
    if namespace in ("answer", "gap"):
        item = next((i for i in content.checklist.items if i.id == name), None)
        text = item.text.get(lang) if item else name
        if namespace == "gap":
            return _("Departments disagree: {text}").format(text=text)
        return text
    if namespace == "dept":
        dept = next((d for d in content.survey.departments if d.id == name), None)
        title = dept.title.get(lang) if dept else name
        return _("{title} staffing").format(title=title)
    if namespace == "tool":
        kind = name.removesuffix("_product")
        tool = next((t for t in content.survey.tools if t.id == kind), None)
        title = tool.title.get(lang) if tool else kind
        if name.endswith("_product"):
            return _("{title} product").format(title=title)
        return title
    if namespace == "funnel":
        figure = next((f for f in content.survey.funnel if f.id == name), None)
        return figure.label.get(lang) if figure else name
    if namespace in ("metric", "status", "ratio"):
        benchmark = content.benchmark(name)
        title = benchmark.title.get(lang) if benchmark else name
        if namespace == "ratio":
            return _("{title} as a multiple of its limit").format(title=title)
        return title if namespace == "metric" else _("{title} vs benchmark").format(title=title)
    if namespace == "score":
        axis = next((a for a in content.checklist.axes if a.id == name), None)
        title = axis.title.get(lang) if axis else name
        return _("{title} score").format(title=title)
    return fact
