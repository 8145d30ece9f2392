"""The diagnosis as plain text for a terminal, in Japanese (default) or English."""

from __future__ import annotations

import unicodedata

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.funnel import Bottleneck, MetricFinding
from assessment.engine.roadmap.calendar import last_day, week_date
from assessment.engine.wording import format_number, format_rate, format_yen, role_label, unit_suffix
from assessment.presentation.roadmap_export import later_by_phase
from assessment.vocabulary import Lang

WORDS: dict[str, tuple[str, str]] = {
    "title": ("THE MODEL 導入準備度診断", "THE MODEL readiness diagnosis"),
    "client": ("対象", "Client"),
    "employees": ("名", " employees"),
    "scores": ("準備度スコア（100点満点）", "Readiness scores (out of 100)"),
    "overall": ("総合", "Overall"),
    "gaps": ("未整備の項目（いいえ・一部・要確認）", "Gaps (no, partly, to confirm)"),
    "to_confirm": ("要確認", "to confirm"),
    "risks": ("想定される失敗リスク", "Failure risks"),
    "no_risks": ("該当する失敗パターンはありません", "No failure pattern is raised"),
    "countermeasure": ("対策", "Countermeasure"),
    "phase": ("組織フェーズ", "Organisation phase"),
    "current": ("現在", "Now"),
    "recommended": ("次に目指す", "Aim for next"),
    "hold": ("今のフェーズを固める", "Make the current phase work"),
    "by_size": ("規模の目安", "Fits your size"),
    "bpr": ("BPRの現在地", "Where the BPR stands"),
    "bpr_done": ("全段階を完了", "All stages complete"),
    "funnel": ("ファネルとベンチマーク", "Funnel against benchmarks"),
    "no_funnel": ("ファネルの数値が入力されていません", "No funnel figures were given"),
    "bottleneck": ("ボトルネック", "Bottleneck"),
    "least_headroom": (
        "各段階の主要指標はすべて目安内（余裕が最も小さい段階）",
        "Every stage's key figure is within its benchmark; least headroom",
    ),
    "invalid": (
        "数値に矛盾があるため、転換率の判定・ボトルネック・売上の数式・必要リード数・改善レバーは算出していません",
        "The figures contradict each other, so no rate is judged on them and no bottleneck, revenue formula, "
        "required leads or lever is worked out",
    ),
    "questionable": (
        "次の数値は起こりえますが、まれです。分析の前に確認してください",
        "These figures are possible but rare: check them before relying on the analysis",
    ),
    "not_judged": ("判定せず：数値の矛盾", "not judged: figures contradict"),
    "to_check": ("、要確認", ", to check"),
    "unconfirmed": ("・要確認", ", to confirm"),
    "provisional": (
        "暫定：20問中{answered}問の回答にもとづきます（未回答・「わからない」{missing}問）",
        "Provisional: based on {answered} of {statements} statements ({missing} blank or 'don't know')",
    ),
    "per_month": ("/月", " a month"),
    "count_unit": ("件", ""),
    "revenue": ("売上の数式（月次）", "Revenue formula (monthly)"),
    "required_leads": ("目標達成に必要な月間リード数", "Leads per month needed for the target"),
    "levers": ("改善レバー（月間売上への効果順）", "Levers, by effect on monthly revenue"),
    "retention": ("既存顧客の売上（月次）", "Existing customers (monthly)"),
    "recurring": ("継続売上 {mrr}", "recurring revenue {mrr}"),
    "churned": ("解約で失う額 {lost}", "lost to churn {lost}"),
    "net_growth": (
        "新規受注 {new} − 解約 {lost} = 差し引き {net}",
        "new bookings {new} − churn {lost} = net {net}",
    ),
    "a_year_on": ("（1年後の継続売上 +{amount}/月）", " (recurring revenue +{amount} a month a year on)"),
    "roadmap": ("導入ロードマップ", "Implementation roadmap"),
    "weeks": ("週", " weeks"),
    "week": ("週目", ""),
    "done": ("完了", "done"),
    "later": ("次のフェーズ以降（今回の計画には含めない）", "Later phases (not scheduled in this plan)"),
    "critical": ("クリティカルパス", "critical path"),
    "warnings": ("注意", "Warnings"),
    "not_given": ("未入力", "not given"),
    "no_benchmark": ("目安値なし", "no benchmark"),
    "since": ("前回からの変化（スコア差）", "Since last time (score change)"),
    "risks_resolved": ("解消したリスク", "Risks no longer raised"),
    "risks_new": ("新たなリスク", "New risks"),
    "risks_disputed": (
        "未解消（部門間の認識の食い違いが残っている）",
        "Not yet resolved (the departments still see it differently)",
    ),
    "gaps_title": ("部門間の認識ギャップ", "Where the departments disagree"),
    "respondents": ("名が回答", "respondents"),
    "no_gaps": ("部門間で大きな認識の食い違いはありません", "The departments broadly agree"),
}
ADVICE = {
    "ahead_of_size": (
        "規模に対して体制が先行しています。部門を増やさず、連携の手間が成果を上回っていないかを見てください",
        "Your structure is ahead of your size: add no teams, and watch the cost of coordinating it",
    ),
    "fold_inside_sales": (
        "この規模では独立したISは調整コストが成果を上回りがちです。"
        "四半期で成果を示せなければ初回接触をFSに戻してください",
        "At this size a separate inside-sales team tends to cost more than it returns: show its results "
        "within a quarter, or give first contact back to field sales",
    ),
    "keep_inside_sales_shared": (
        "この規模ではISを独立させず、FSが初回接触を担う形を続けてください",
        "At this size keep inside sales shared: field sales keeps the first contact",
    ),
    "structure_unknown": (
        "次のフェーズを判定する回答が未回答のため、現在のフェーズはこれより上の可能性があります",
        "Answers that decide the next phase are missing, so the current phase may be higher",
    ),
}
STATUS = {
    "below": ("目安を下回る", "below"),
    "within": ("目安の範囲内", "within"),
    "above": ("目安を上回る", "above"),
}
OVER_LIMIT = ("上限を超える", "over the limit")
# the factors of the revenue formula, named so the lead-to-opportunity rate is not read as MQL->SQL
FORMULA_LABELS = (
    ("リード", "リード→商談", "受注率", "平均単価"),
    ("leads", "lead→opportunity", "win rate", "deal size"),
)
SEVERITY = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def _w(key: str, lang: Lang) -> str:
    ja, en = WORDS[key]
    return en if lang == "en" else ja


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang == "en" else pair[0]


def render_text(diagnosis: Diagnosis, content: Content, lang: Lang = "ja", previous: Diagnosis | None = None) -> str:
    """Return the diagnosis as a readable text report (with the changes since ``previous`` when given)."""
    lines: list[str] = []
    client = diagnosis.assessment.client
    lines.append(f"== {_w('title', lang)} ==")
    size = f"（{client.employees}{_w('employees', lang)}）" if client.employees is not None else ""
    if lang == "en" and client.employees is not None:
        size = f" ({client.employees}{_w('employees', lang)})"
    lines.append(f"{_w('client', lang)}: {client.name or '-'}{size}")
    if diagnosis.completeness.provisional:
        c = diagnosis.completeness
        note = _w("provisional", lang).format(answered=c.answered, statements=c.statements, missing=c.missing)
        lines.append(f"!! {note}")
    lines += _scores(diagnosis, content, lang)
    if previous is not None:
        lines += _since(previous, diagnosis, content, lang)
    lines += _perception(diagnosis, content, lang)
    lines += _risks(diagnosis, lang)
    lines += _phase(diagnosis, content, lang)
    lines += _funnel(diagnosis, content, lang)
    lines += _roadmap(diagnosis, content, lang)
    if diagnosis.warnings:
        lines.append("")
        lines.append(f"[{_w('warnings', lang)}]")
        lines += [f"  ! {warning.text(lang)}" for warning in diagnosis.warnings]
    return "\n".join(lines) + "\n"


def _scores(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    lines = ["", f"[{_w('scores', lang)}]"]
    for axis in content.checklist.axes:
        value = diagnosis.scores.of(axis.id)
        lines.append(f"  {_pad(axis.title.get(lang), 14)} {value:5.1f}  {_bar(value)}")
    lines.append(f"  {_pad(_w('overall', lang), 14)} {diagnosis.scores.overall:5.1f}  {_bar(diagnosis.scores.overall)}")
    lines += ["", f"[{_w('gaps', lang)}]"]
    labels = content.checklist.answer_labels
    for item in content.checklist.items:
        answer = diagnosis.assessment.answers[item.id]
        if answer == "yes":
            continue
        mark = f" ({_w('to_confirm', lang)})" if answer == "unknown" else ""
        lines.append(f"  - [{labels[answer].get(lang)}] {item.text.get(lang)}{mark}")
    return lines


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (a full-width character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 0)


def _since(previous: Diagnosis, diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    from assessment.engine.comparison import compare

    comparison = compare(previous, diagnosis)
    lines = ["", f"[{_w('since', lang)}]"]
    for axis in content.checklist.axes:
        lines.append(f"  {_pad(axis.title.get(lang), 14)} {comparison.axis_deltas[axis.id]:+5.1f}")
    lines.append(f"  {_pad(_w('overall', lang), 14)} {comparison.overall_delta:+5.1f}")
    titles = {t.id: t.title.get(lang) for t in content.tasks}
    for task_id in comparison.tasks_completed:
        lines.append(f"  ✓ {titles.get(task_id, task_id)}")
    rules = {r.id: r.title.get(lang) for r in content.rules}
    separator = "、" if lang == "ja" else "; "
    for key, rule_ids in (
        ("risks_resolved", comparison.risks_resolved),
        ("risks_disputed", comparison.risks_still_disputed),
        ("risks_new", comparison.risks_new),
    ):
        if rule_ids:
            lines.append(f"  {_w(key, lang)}: {separator.join(rules.get(r, r) for r in rule_ids)}")
    return lines


def _bar(value: float) -> str:
    filled = round(value / 5)
    return "#" * filled + "." * (20 - filled)


def _perception(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    perception = diagnosis.perception
    if perception is None:
        return []
    labels = content.checklist.answer_labels
    counted = (
        f"{perception.respondents}{_w('respondents', lang)}"
        if lang == "ja"
        else f"{perception.respondents} respondents"
    )
    lines = ["", f"[{_w('gaps_title', lang)}] ({counted})"]
    if not perception.gaps:
        return [*lines, f"  {_w('no_gaps', lang)}"]
    for view in perception.gaps:
        lines.append(f"  - {content.checklist.item(view.item_id).text.get(lang)}")
        views = ", ".join(
            f"{role_label(dept, content, lang)}: {labels[answer].get(lang)}"
            for dept, answer in view.by_department.items()
        )
        lines.append(f"    {views}")
    return lines


def _risks(diagnosis: Diagnosis, lang: Lang) -> list[str]:
    lines = ["", f"[{_w('risks', lang)}]"]
    if diagnosis.completeness.provisional and diagnosis.findings:
        c = diagnosis.completeness
        note = _w("provisional", lang).format(answered=c.answered, statements=c.statements, missing=c.missing)
        lines.append(f"  !! {note}")
    if not diagnosis.findings:
        return [*lines, f"  {_w('no_risks', lang)}"]
    for finding in diagnosis.findings:
        tag = _pick(SEVERITY[finding.severity], lang) + ("" if finding.confirmed else _w("unconfirmed", lang))
        lines.append(f"  ● {finding.title.get(lang)} [{tag}]")
        lines.append(f"    {finding.explanation.get(lang)}")
        lines.append(f"    → {_w('countermeasure', lang)}: {finding.countermeasure.get(lang)}")
    return lines


def _phase(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    phases = {p.number: p for p in content.organisation.phases}
    phase = diagnosis.phase
    lines = ["", f"[{_w('phase', lang)}]"]
    lines.append(f"  {_w('current', lang)}: {phases[phase.current].title.get(lang)}")
    if phase.by_size is not None:
        lines.append(f"  {_w('by_size', lang)}: {phases[phase.by_size].title.get(lang)}")
    if phase.holds:
        lines.append(f"  {_w('hold', lang)}: {phases[phase.recommended].title.get(lang)}")
    else:
        lines.append(f"  {_w('recommended', lang)}: {phases[phase.recommended].title.get(lang)}")
        lines.append(f"    {phases[phase.recommended].structure.get(lang)}")
    for code in phase.advice:
        if code in ADVICE:
            lines.append(f"    {'-' if lang == 'en' else '・'} {_pick(ADVICE[code], lang)}".replace("・ ", "・"))
    stages = {s.id: s for s in content.organisation.bpr_stages}
    bpr = diagnosis.bpr
    where = _w("bpr_done", lang) if bpr.stage is None else f"{bpr.index}. {stages[bpr.stage].title.get(lang)}"
    lines.append(f"  {_w('bpr', lang)}: {where}")
    return lines


def _funnel(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    funnel = diagnosis.funnel
    lines = ["", f"[{_w('funnel', lang)}]"]
    if not diagnosis.assessment.funnel:
        return [*lines, f"  {_w('no_funnel', lang)}"]
    lines += _data_quality(diagnosis, lang)
    titles = {b.metric: b.title.get(lang) for b in content.benchmarks.benchmarks}
    for f in funnel.findings:
        if f.value is None and f.problem is None:
            continue
        unit = unit_suffix(f.unit, lang)
        flag = "!" if f.concern else (" " if f.problem is None else "x")
        judged = _w("not_judged", lang) if f.problem is not None else _benchmark(f, unit, lang)
        if funnel.data_quality.to_check(f.metric):
            judged += _w("to_check", lang)
        value = "–" if f.value is None else f"{format_number(f.value)}{unit}"
        lines.append(f" {flag} {titles[f.metric]}: {value}  ({judged})")
    if funnel.bottleneck:
        departments = {d.id: d.title.get(lang) for d in content.survey.departments}
        b = funnel.bottleneck
        label = _w("bottleneck" if b.below_benchmark else "least_headroom", lang)
        unit = unit_suffix(next((m.unit for m in funnel.findings if m.metric == b.metric), ""), lang)
        lines.append(f"  {label}: {departments[b.stage]} ({titles[b.metric]}: {_against_limit(b, unit, lang)})")
    lines += _revenue_lines(diagnosis, content, lang)
    return lines


def _data_quality(diagnosis: Diagnosis, lang: Lang) -> list[str]:
    quality = diagnosis.funnel.data_quality
    if not quality.problems:
        return []
    lines = [f"  !! {_w('invalid' if quality.invalid else 'questionable', lang)}"]
    lines += [f"     - {problem.message(lang)}" for problem in quality.problems]
    return lines


def _against_limit(bottleneck: Bottleneck, unit: str, lang: Lang) -> str:
    """The bottleneck's figure against the limit it misses: a ceiling for churn, a floor for a conversion."""
    times = format_number(bottleneck.times_limit, 2)
    value, limit = f"{format_number(bottleneck.value)}{unit}", f"{format_number(bottleneck.limit)}{unit}"
    if not bottleneck.below_benchmark:  # within its range: the limit it is closest to, not a multiple of it
        side = ("上限", "ceiling") if bottleneck.bound == "max" else ("下限", "floor")
        return f"{value}（{side[0]}{limit}）" if lang == "ja" else f"{value} ({side[1]} {limit})"
    if bottleneck.bound == "max":
        return f"{value}、上限{limit}の{times}倍" if lang == "ja" else f"{value}, {times} times the {limit} ceiling"
    return f"{value}、下限{limit}の{times}倍" if lang == "ja" else f"{value}, {times} times the {limit} floor"


def _revenue_lines(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    funnel = diagnosis.funnel
    revenue = funnel.revenue
    lines = []
    count = _w("count_unit", lang)
    if revenue is not None and revenue.monthly_revenue is not None:
        labels = FORMULA_LABELS[1 if lang == "en" else 0]
        values = [
            f"{format_number(revenue.leads)}{count}" if revenue.leads is not None else "?",
            format_rate(revenue.conversion_to_opportunity) if revenue.conversion_to_opportunity is not None else "?",
            format_rate(revenue.win_rate) if revenue.win_rate is not None else "?",
            format_yen(revenue.average_deal_size or 0, lang),
        ]
        factors = [f"{label} {value}" for label, value in zip(labels, values, strict=True)]
        total = f"{format_yen(revenue.monthly_revenue, lang)}{_w('per_month', lang)}"
        lines.append(f"  {_w('revenue', lang)}: {' × '.join(factors)} = {total}")
    lines += _retention_lines(diagnosis, lang)
    if funnel.required_leads is not None:
        lines.append(f"  {_w('required_leads', lang)}: {format_number(funnel.required_leads)}{count}")
    if funnel.levers:
        lines.append(f"  {_w('levers', lang)}:")
        titles = {b.metric: b.title.get(lang) for b in content.benchmarks.benchmarks}
        names = {**titles, **{v.figure: v.title.get(lang) for v in content.benchmarks.volume_levers}}
        for lever in funnel.levers:
            added = f"+{format_yen(lever.added_revenue, lang)}{_w('per_month', lang)}"
            before, after = (_lever_value(lever.factor, v, lang) for v in (lever.current, lever.target))
            change = f"{before} → {after}"
            year = ""
            if lever.after_12_months is not None:
                year = _w("a_year_on", lang).format(amount=format_yen(lever.after_12_months, lang))
            lines.append(f"    {added}  {names.get(lever.factor, lever.factor)} {change}{year}")
    return lines


def _retention_lines(diagnosis: Diagnosis, lang: Lang) -> list[str]:
    """The existing customers beside new business, when the recurring revenue is given."""
    retention = diagnosis.funnel.retention
    if retention is None:
        return []
    per_month = _w("per_month", lang)
    parts = [_w("recurring", lang).format(mrr=format_yen(retention.recurring_revenue, lang) + per_month)]
    if retention.churned_per_month is not None:
        parts.append(_w("churned", lang).format(lost=format_yen(retention.churned_per_month, lang) + per_month))
    if retention.net_growth is not None and retention.new_bookings is not None:
        parts.append(
            _w("net_growth", lang).format(
                new=format_yen(retention.new_bookings, lang),
                lost=format_yen(retention.churned_per_month or 0, lang),
                net=format_yen(retention.net_growth, lang) + per_month,
            )
        )
    separator = "、" if lang == "ja" else "; "
    return [f"  {_w('retention', lang)}: {separator.join(parts)}"]


def _lever_value(factor: str, value: float, lang: Lang) -> str:
    if factor == "average_deal_size":
        return format_yen(value, lang)
    if factor == "leads":
        return f"{format_number(round(value))}{_w('count_unit', lang)}"
    return format_rate(value)


def _benchmark(finding: MetricFinding, unit: str, lang: Lang) -> str:
    if finding.min is None and finding.max is None:
        return _w("no_benchmark", lang)
    if finding.min is None:
        bounds = f"≤{format_number(finding.max or 0)}{unit}"
    elif finding.max is None:
        bounds = f"≥{format_number(finding.min)}{unit}"
    else:
        bounds = f"{format_number(finding.min)}–{format_number(finding.max)}{unit}"
    if finding.good_side == "lower" and finding.status == "above":
        return f"{bounds}: {_pick(OVER_LIMIT, lang)}"
    return f"{bounds}: {_pick(STATUS[finding.status or 'within'], lang)}"


def _roadmap(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    plan = diagnosis.plan
    owners = {owner.id: owner.title.get(lang) for owner in content.survey.owners}
    total = f"{plan.total_weeks}{_w('weeks', lang)}"
    lines = ["", f"[{_w('roadmap', lang)}] {total}"]
    for t in plan.scheduled:
        weeks = f"W{t.start_week}–W{t.end_week}"
        if plan.start is not None:
            first, last = week_date(plan.start, t.start_week or 0), last_day(plan.start, t.end_week or 0)
            weeks = f"{first.isoformat()}–{last.isoformat()}"
        crit = f"  *{_w('critical', lang)}" if t.critical else ""
        lines.append(f"  {weeks:<9} {t.title.get(lang)} [{owners.get(t.owner, t.owner)}]{crit}")
    later = later_by_phase(plan, content, lang)
    if later:
        lines.append(f"  {_w('later', lang)}:")
        separator = "、" if lang == "ja" else "; "
        lines += [f"    {group['phase']}: {separator.join(group['tasks'])}" for group in later]
    lines += [f"  ✓ {t.title.get(lang)} ({_w('done', lang)})" for t in plan.tasks if t.status == "done"]
    return lines
