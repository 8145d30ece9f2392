"""The view's first screen: what the overall score means, and the three things to do first (owner, when, why)."""

from __future__ import annotations

from typing import TypedDict

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.roadmap.plan import PlannedTask
from assessment.engine.wording import format_number
from assessment.i18n import context_translator
from assessment.presentation.view.words import Gettext, date_span
from assessment.vocabulary import Lang


class BandView(TypedDict):
    """The overall score's band: its title, a one-line verdict, a tone for the icon, and how the score is made."""

    title: str
    verdict: str
    tone: str
    how: str
    foundations: str


class NextAction(TypedDict):
    """One of the first tasks to start: who owns it, when it runs, and why it comes first."""

    title: str
    owner: str
    weeks: int
    when: str
    why: str
    critical: bool


def band_view(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> BandView | None:
    """The band the overall score falls in, with how the score is computed and how many foundations are in place."""
    checklist = content.checklist
    band = checklist.band(diagnosis.scores.overall)
    if band is None:
        return None
    weights = sorted({item.weight for item in checklist.items})
    base = weights[0]
    heavy = [item for item in checklist.items if item.weight > base]
    answers = diagnosis.assessment.answers
    how = _("Yes counts fully, partly counts half, no and don't know count nothing; the overall score is the share "
            "of the %(total)s statements met, out of 100.") % {"total": len(checklist.items)}  # fmt: skip
    foundations = ""
    if heavy:
        how += " " + _("The %(n)s foundation statements count %(times)s times.") % {
            "n": len(heavy),
            "times": format_number(round(heavy[0].weight / base, 1)),
        }
        in_place = sum(1 for item in heavy if answers.get(item.id) == "yes")
        foundations = _("Foundations in place: %(yes)s of %(n)s.") % {"yes": in_place, "n": len(heavy)}
    return {
        "title": band.title.get(lang),
        "verdict": band.verdict.get(lang),
        "tone": band.tone,
        "how": how,
        "foundations": foundations,
    }


def next_actions_view(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> list[NextAction]:
    """The first three tasks to start (earliest first; those that counter a risk, then critical ones, first).

    Each says when it runs (dates once the plan has a start) and why it comes first: the risks it counters, or
    else the checklist statements it puts in place, and the tasks that wait for it.
    """
    plan = diagnosis.plan
    owners = {o.id: o.title.get(lang) for o in content.survey.owners}
    first = sorted(plan.scheduled, key=lambda t: (t.start_week or 0, not t.addresses, not t.critical))[:3]
    return [
        {
            "title": t.title.get(lang),
            "owner": owners.get(t.owner, t.owner),
            "weeks": t.weeks,
            "when": date_span(plan.start, t.start_week or 0, t.end_week or 0, lang)
            if plan.start is not None
            else _("weeks %(first)s–%(last)s") % {"first": (t.start_week or 0) + 1, "last": t.end_week or 0},
            "why": _why(t, diagnosis, content, lang, _),
            "critical": t.critical,
        }
        for t in first
    ]


def _why(task: PlannedTask, diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> str:
    """Why ``task`` comes first: the risks it counters, or the statements it puts in place; and who waits for it."""
    pgettext = context_translator(lang)
    separator = pgettext("list separator", ", ")
    rules = {r.id: r.title.get(lang) for r in content.rules}
    raised = {f.rule_id for f in diagnosis.findings}
    countered = [rules[r] for r in task.addresses if r in raised and r in rules]
    if countered:
        reason = _("It counters the risk: %(risks)s.") % {"risks": separator.join(countered)}
    else:
        numbers = {item.id: n for n, item in enumerate(content.checklist.items, start=1)}
        open_items = [
            numbers[item] for item in task.establishes
            if item in numbers and diagnosis.assessment.answers.get(item) != "yes"
        ]  # fmt: skip
        reason = (
            _("It puts in place checklist statement %(numbers)s, not met today.")
            % {"numbers": separator.join(str(n) for n in open_items)}
            if open_items
            else ""
        )
    waiting = [t for t in diagnosis.plan.scheduled if task.id in t.depends_on]
    if waiting:
        quoted = pgettext("quoted title", "\u201c{title}\u201d")
        titles = separator.join(quoted.format(title=t.title.get(lang)) for t in waiting[:2])
        wait = _("%(tasks)s waits for it.") if len(waiting) == 1 else _("%(n)s tasks wait for it, such as %(tasks)s.")
        then = wait % {"n": len(waiting), "tasks": titles}
        # two sentences in a row: a space between them in English, none in Japanese
        reason = pgettext("two sentences", "{first} {second}").format(first=reason, second=then) if reason else then
    return reason
