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
from assessment.vocabulary import ANSWERS, BENCHMARK_STATUSES, FUNNEL_QUALITIES, STAFFING, TOOL_STATUSES

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


_COMPUTED_LABELS: dict[str, tuple[str, str]] = {
    "client.employees": ("従業員数", "Employees"),
    "client.industry": ("業種", "Industry"),
    "tool.spreadsheet": ("ファネルを表計算で管理", "Funnel kept in spreadsheets"),
    "score.overall": ("総合スコア", "Overall score"),
    "count.dedicated_departments": ("専任部門の数", "Dedicated teams"),
    "count.staffed_departments": ("担当のある部門の数", "Teams with an owner"),
    "count.unknown_answers": ("「わからない」の数", "Items answered 'don't know'"),
    "phase.current": ("現在のフェーズ", "Current phase"),
    "phase.by_size": ("規模に合うフェーズ", "Size-fit phase"),
    "phase.recommended": ("推奨フェーズ", "Recommended phase"),
    "phase.gap": ("規模とのフェーズ差", "Phases behind the size-fit phase"),
    "phase.step": ("推奨フェーズまでの段階数", "Phases to the recommended one"),
    "bpr.stage": ("BPRの段階", "BPR step"),
    "count.perception_gaps": ("部門間で認識が食い違う項目の数", "Items the departments see differently"),
    "count.respondents": ("回答者数", "Respondents"),
    "quality.funnel": ("ファネル数値の整合性", "Consistency of the funnel figures"),
}


def fact_label(fact: str, content: Content, lang: str) -> str:
    """Return a reader's name for a fact: the checklist statement, figure label, metric title, ..."""
    en = lang == "en"
    namespace, _, name = fact.partition(".")
    if fact in _COMPUTED_LABELS:
        return _COMPUTED_LABELS[fact][1 if en else 0]
    if namespace in ("answer", "gap"):
        item = next((i for i in content.checklist.items if i.id == name), None)
        text = (item.text.en if en else item.text.ja) if item else name
        if namespace == "gap":
            return f"Departments disagree: {text}" if en else f"部門間の認識差：{text}"
        return text
    if namespace == "dept":
        dept = next((d for d in content.survey.departments if d.id == name), None)
        title = (dept.title.en if en else dept.title.ja) if dept else name
        return f"{title} staffing" if en else f"{title}の体制"
    if namespace == "tool":
        kind = name.removesuffix("_product")
        tool = next((t for t in content.survey.tools if t.id == kind), None)
        title = (tool.title.en if en else tool.title.ja) if tool else kind
        if name.endswith("_product"):
            return f"{title} product" if en else f"{title}の製品"
        return title
    if namespace == "funnel":
        figure = next((f for f in content.survey.funnel if f.id == name), None)
        return (figure.label.en if en else figure.label.ja) if figure else name
    if namespace in ("metric", "status", "ratio"):
        benchmark = content.benchmark(name)
        title = (benchmark.title.en if en else benchmark.title.ja) if benchmark else name
        if namespace == "ratio":
            return f"{title} as a multiple of its limit" if en else f"{title}（目安の境界値に対する倍率）"
        return title if namespace == "metric" else (f"{title} vs benchmark" if en else f"{title}（目安との比較）")
    if namespace == "score":
        axis = next((a for a in content.checklist.axes if a.id == name), None)
        title = (axis.title.en if en else axis.title.ja) if axis else name
        return f"{title} score" if en else f"{title}スコア"
    return fact
