"""The assessment file: a client's answers, as people write them by hand and as the app exports them.

``parse_assessment`` accepts YAML or JSON text (or already-parsed data), forgives what a person would
reasonably write (``yes`` unquoted, ``In use``, ``はい``, missing sections, unanswered items) and
reports every real problem at once, each with its path, e.g.
``checklist.org.mql_definition: 'maybe' is not one of yes, partial, no, unknown``.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from assessment.content.model import Content, FunnelFigure
from assessment.documents import DocumentError, load_document
from assessment.engine.narrative import NOTE_SECTIONS as NOTE_SECTIONS  # where the sections were first named
from assessment.engine.narrative import PLAIN_LANG, empty_narrative, notes_section
from assessment.engine.perception import Response
from assessment.engine.typed_number import read_typed_number
from assessment.errors import AssessmentError
from assessment.messages import Notice, how_to_type
from assessment.vocabulary import ANSWERS, LANGS, STAFFING, TOOL_STATUSES, Lang

TOP_LEVEL = (
    "version", "date", "client", "checklist", "comments", "survey", "notes", "respondents", "plan", "baseline",
)  # fmt: skip
PLAN_KEYS = ("start",)
RESPONDENT_KEYS = ("department", "name", "answers", "comments")
MAX_RESPONDENTS = 500
CLIENT_KEYS = ("name", "employees", "industry")
SURVEY_KEYS = ("departments", "tools", "funnel")
MAX_NAME = 200
# The company's name goes on the proposal's cover in 17pt: 60 wide (Japanese) characters still take at most
# three lines there, in either language, and a fourth line would push the date and author table off the page.
MAX_CLIENT_NAME = 60
MAX_COMMENT = 2000
MAX_NOTE = 20000
MAX_PRODUCT = 100
MAX_FIGURE = 10**15  # no monthly figure of a company comes near this; keeps the maths finite

_ANSWER_WORDS = {
    "yes": "yes", "y": "yes", "true": "yes", "はい": "yes", "済": "yes", "○": "yes",
    "partial": "partial", "partly": "partial", "一部": "partial", "△": "partial",
    "no": "no", "n": "no", "false": "no", "いいえ": "no", "×": "no",
    "unknown": "unknown", "don't know": "unknown", "dont_know": "unknown", "わからない": "unknown",
    "不明": "unknown", "?": "unknown", "": "unknown",
}  # fmt: skip
_BOOL_WORDS = {"true": True, "yes": True, "はい": True, "false": False, "no": False, "いいえ": False}


@dataclass(frozen=True)
class Client:
    """Who the assessment is about."""

    name: str = ""
    employees: int | None = None
    industry: str = ""


@dataclass(frozen=True)
class Assessment:
    """A validated assessment: every checklist item has an answer (``unknown`` when not given)."""

    client: Client
    answers: Mapping[str, str]
    comments: Mapping[str, str] = field(default_factory=dict)
    departments: Mapping[str, str] = field(default_factory=dict)
    tools: Mapping[str, str] = field(default_factory=dict)
    products: Mapping[str, str] = field(default_factory=dict)
    spreadsheet: bool | None = None
    funnel: Mapping[str, float] = field(default_factory=dict)
    # The consultant's narrative per language and proposal section (``notes:``; plain texts are Japanese)
    narratives: Mapping[Lang, Mapping[str, str]] = field(default_factory=empty_narrative)
    warnings: tuple[Notice, ...] = ()
    answered: frozenset[str] = frozenset()  # items given in the file, "unknown" included
    responses: tuple[Response, ...] = ()  # workshop respondents, each tagged with a department
    plan_start: date | None = None  # the day the plan starts (``plan.start``); None: decided when diagnosed
    dated: date | None = None  # the day the answers stood as written (``date``): the export's day
    # An earlier diagnosis to compare with (``baseline``: an assessment of its own, dated, without a baseline)
    baseline: Assessment | None = None

    @property
    def notes(self) -> Mapping[str, str]:
        """The Japanese narrative (what ``notes:`` held before narratives had a language)."""
        return self.narrative(PLAIN_LANG)

    def narrative(self, lang: Lang) -> Mapping[str, str]:
        """The narrative in ``lang`` per section: never another language's text in its place."""
        return self.narratives.get(lang, {})


class _Reader:
    """Collects problems while reading one document."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.problems: list[Notice] = []

    def problem(self, path: str, code: str, **params: Any) -> None:
        self.problems.append(Notice(path, code, params))

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, "not_mapping")
            return {}
        return {str(k): v for k, v in value.items()}

    def known_keys(
        self, data: dict[str, Any], allowed: tuple[str, ...], path: str, code: str = "unknown_key"
    ) -> dict[str, Any]:
        for key in data:
            if key not in allowed:
                self.problem(_join(path, key), code, key=key, suggestion=_suggest(key, allowed))
        return {k: v for k, v in data.items() if k in allowed}

    def text(self, value: Any, path: str, limit: int, too_long: str = "too_long") -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(path, "not_text")
            return None
        text = unix_newlines(str(value)).strip()
        if has_control_characters(text):
            self.problem(path, "control_character")
            return None
        if len(text) > limit:
            self.problem(path, too_long, max=limit, length=len(text))
            return None
        return text

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> str | None:
        if value is None:
            return None
        word = str(value).strip().lower().replace(" ", "_").replace("-", "_") if isinstance(value, str) else None
        if word in choices:
            return word
        self.problem(path, "bad_choice", value=_show(value), choices=", ".join(choices))
        return None

    def number(
        self, value: Any, path: str, low: float | None, high: float | None, integer: bool, unit: str = ""
    ) -> float | None:
        if value is None:
            return None
        number = _as_number(value, unit)
        if number is None:
            self.problem(path, "not_number", value=_show(value), how=how_to_type(unit))
            return None
        if integer and not float(number).is_integer():
            self.problem(path, "not_integer", value=_show(value))
            return None
        if abs(number) > MAX_FIGURE:
            self.problem(path, "above_max", value=_show(value), max=_show(float(MAX_FIGURE)))
            return None
        if low is not None and number < low:
            self.problem(path, "below_min", value=_show(value), min=_show(low))
            return None
        if high is not None and number > high:
            self.problem(path, "above_max", value=_show(value), max=_show(high))
            return None
        return int(number) if integer else number


def parse_assessment(source: bytes | str | Mapping[str, Any], content: Content) -> Assessment:
    """Read an assessment from YAML/JSON text or parsed data; raise AssessmentError listing every problem."""
    if isinstance(source, bytes | str):
        try:
            data = load_document(source)
        except DocumentError as exc:
            raise AssessmentError([Notice("", exc.code, {"detail": exc.detail})]) from None
    else:
        data = source
    return _parse(data, content)


def _parse(data: Any, content: Content, within: str = "") -> Assessment:
    """Read parsed data; ``within`` is the path of an assessment inside another (``baseline``), which may not
    hold one of its own, and the problems found in it are reported under that path."""
    reader = _Reader(content)
    if not isinstance(data, dict):
        raise AssessmentError([Notice(within, "not_mapping")])
    top = reader.known_keys(reader.mapping(data, ""), TOP_LEVEL, "")
    version = top.get("version", 1)
    if version not in (1, "1") or isinstance(version, bool):
        reader.problem("version", "bad_version", value=_show(version))
    client = _read_client(reader, top.get("client"))
    answers = _read_answers(reader, top.get("checklist"))
    comments = _read_comments(reader, top.get("comments"))
    survey = reader.known_keys(reader.mapping(top.get("survey"), "survey"), SURVEY_KEYS, "survey")
    departments = _read_departments(reader, survey.get("departments"))
    tools, products, spreadsheet = _read_tools(reader, survey.get("tools"))
    funnel = _read_funnel(reader, survey.get("funnel"))
    narratives = _read_notes(reader, top.get("notes"))
    responses = _read_respondents(reader, top.get("respondents"))
    plan_start = _read_plan_start(reader, top.get("plan"))
    dated = _read_date(reader, top.get("date"))
    baseline = None
    if within and top.get("baseline") is not None:
        reader.problem("baseline", "nested_baseline")
    elif top.get("baseline") is not None:
        try:
            baseline = _parse(top["baseline"], content, "baseline")
        except AssessmentError as error:
            reader.problems += error.problems
    if reader.problems:
        raise AssessmentError([_under(within, problem) for problem in reader.problems])
    return Assessment(
        client=client,
        answers=answers,
        answered=frozenset(item for item, raw in (top.get("checklist") or {}).items() if raw is not None)
        & frozenset(answers),
        comments=comments,
        departments=departments,
        tools=tools,
        products=products,
        spreadsheet=spreadsheet,
        funnel=funnel,
        narratives=narratives,
        responses=responses,
        plan_start=plan_start,
        dated=dated,
        baseline=baseline,
    )


def _under(within: str, problem: Notice) -> Notice:
    """A problem of an assessment held inside another, at its path there (``baseline.checklist.org...``)."""
    if not within:
        return problem
    return Notice(_join(within, problem.path) if problem.path else within, problem.code, problem.params)


def _read_date(reader: _Reader, raw: Any) -> date | None:
    if raw is None or raw == "":
        return None
    day = plan_day(raw)
    if day is None:
        reader.problem("date", "bad_date", value=_show(raw))
    return day


def plan_day(value: Any) -> date | None:
    """The plan's start day as written (``2027-01-04``, or a date), or None when it is not a real day of the
    years 2000-2100: the one rule the file, the CLI's forms and the web forms share."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return None
    return value if isinstance(value, date) and 2000 <= value.year <= 2100 else None


def _read_plan_start(reader: _Reader, value: Any) -> date | None:
    data = reader.known_keys(reader.mapping(value, "plan"), PLAN_KEYS, "plan")
    raw = data.get("start")
    if raw is None or raw == "":
        return None
    start = plan_day(raw)
    if start is None:
        reader.problem("plan.start", "bad_date", value=_show(raw))
    return start


def _read_client(reader: _Reader, value: Any) -> Client:
    data = reader.known_keys(reader.mapping(value, "client"), CLIENT_KEYS, "client")
    employees = reader.number(data.get("employees"), "client.employees", 0, 10_000_000, integer=True, unit="people")
    return Client(
        name=reader.text(data.get("name"), "client.name", MAX_CLIENT_NAME, "name_too_long") or "",
        employees=int(employees) if employees is not None else None,
        industry=reader.text(data.get("industry"), "client.industry", MAX_NAME) or "",
    )


def _read_answers(reader: _Reader, value: Any) -> dict[str, str]:
    item_ids = tuple(item.id for item in reader.content.checklist.items)
    given = reader.known_keys(reader.mapping(value, "checklist"), item_ids, "checklist", "unknown_item")
    answers = {}
    for item_id in item_ids:
        raw = given.get(item_id)
        answers[item_id] = _read_answer(reader, raw, f"checklist.{item_id}") or "unknown"
    return answers


def _read_answer(reader: _Reader, value: Any, path: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.strip().lower() in _ANSWER_WORDS:
        return _ANSWER_WORDS[value.strip().lower()]
    reader.problem(path, "bad_choice", value=_show(value), choices=", ".join(ANSWERS))
    return None


def _read_comments(reader: _Reader, value: Any, path: str = "comments") -> dict[str, str]:
    """Comments by item: the consultant's notes (``comments``) or a respondent's (``respondents[i].comments``)."""
    item_ids = tuple(item.id for item in reader.content.checklist.items)
    given = reader.known_keys(reader.mapping(value, path), item_ids, path, "unknown_item")
    comments = {}
    for item_id, raw in given.items():
        text = reader.text(raw, f"{path}.{item_id}", MAX_COMMENT)
        if text:
            comments[item_id] = text
    return comments


def _read_departments(reader: _Reader, value: Any) -> dict[str, str]:
    ids = tuple(d.id for d in reader.content.survey.departments)
    given = reader.known_keys(reader.mapping(value, "survey.departments"), ids, "survey.departments")
    departments = {}
    for dept, raw in given.items():
        staffing = "none" if raw is False else reader.choice(raw, f"survey.departments.{dept}", STAFFING)
        if staffing:
            departments[dept] = staffing
    return departments


def _read_tools(reader: _Reader, value: Any) -> tuple[dict[str, str], dict[str, str], bool | None]:
    kinds = tuple(t.id for t in reader.content.survey.tools)
    allowed = (*kinds, *(f"{k}_product" for k in kinds), "spreadsheet")
    given = reader.known_keys(reader.mapping(value, "survey.tools"), allowed, "survey.tools")
    tools: dict[str, str] = {}
    products: dict[str, str] = {}
    for kind in kinds:
        raw = given.get(kind)
        status = "none" if raw is False else reader.choice(raw, f"survey.tools.{kind}", TOOL_STATUSES)
        if status:
            tools[kind] = status
        product = reader.text(given.get(f"{kind}_product"), f"survey.tools.{kind}_product", MAX_PRODUCT)
        if product:
            products[kind] = product
    spreadsheet = given.get("spreadsheet")
    if isinstance(spreadsheet, str) and spreadsheet.strip().lower() in _BOOL_WORDS:
        spreadsheet = _BOOL_WORDS[spreadsheet.strip().lower()]
    if spreadsheet is not None and not isinstance(spreadsheet, bool):
        reader.problem("survey.tools.spreadsheet", "not_bool", value=_show(spreadsheet))
        spreadsheet = None
    return tools, products, spreadsheet


def _read_funnel(reader: _Reader, value: Any) -> dict[str, float]:
    figures: dict[str, FunnelFigure] = {f.id: f for f in reader.content.survey.funnel}
    given = reader.known_keys(reader.mapping(value, "survey.funnel"), tuple(figures), "survey.funnel")
    funnel = {}
    for figure_id, raw in given.items():
        spec = figures[figure_id]
        number = reader.number(raw, f"survey.funnel.{figure_id}", spec.min, spec.max, spec.integer, spec.unit)
        if number is not None:
            funnel[figure_id] = number
    return funnel


def _read_respondents(reader: _Reader, value: Any) -> tuple[Response, ...]:
    """Workshop respondents: a list of {department, name, answers, comments}."""
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.problem("respondents", "not_list")
        return ()
    if len(value) > MAX_RESPONDENTS:
        reader.problem("respondents", "too_many", max=MAX_RESPONDENTS)
        return ()
    item_ids = tuple(item.id for item in reader.content.checklist.items)
    responses = []
    for index, entry in enumerate(value):
        path = f"respondents[{index}]"
        data = reader.known_keys(reader.mapping(entry, path), RESPONDENT_KEYS, path)
        department = reader.choice(data.get("department"), f"{path}.department", reader.content.survey.roles)
        if data.get("department") is None:
            reader.problem(f"{path}.department", "required")
        name = reader.text(data.get("name"), f"{path}.name", MAX_NAME) or ""
        given = reader.known_keys(reader.mapping(data.get("answers"), f"{path}.answers"), item_ids,
                                  f"{path}.answers", "unknown_item")  # fmt: skip
        answers = {}
        for item_id, raw in given.items():
            answer = _read_answer(reader, raw, f"{path}.answers.{item_id}")
            if answer:
                answers[item_id] = answer
        comments = _read_comments(reader, data.get("comments"), f"{path}.comments")
        if department:
            responses.append(Response(department=department, answers=answers, respondent=name, comments=comments))
    return tuple(responses)


def _read_notes(reader: _Reader, value: Any) -> dict[Lang, dict[str, str]]:
    """The narrative per language: a section is a text (Japanese) or ``{ja: ..., en: ...}``."""
    given = reader.known_keys(reader.mapping(value, "notes"), NOTE_SECTIONS, "notes")
    narratives = empty_narrative()
    for section, raw in given.items():
        path = f"notes.{section}"
        if isinstance(raw, dict):
            texts = {lang: (text, f"{path}.{lang}") for lang, text in reader.known_keys(
                reader.mapping(raw, path), LANGS, path).items()}  # fmt: skip
        else:
            texts = {PLAIN_LANG: (raw, path)}
        for lang, (given_text, where) in texts.items():
            text = reader.text(given_text, where, MAX_NOTE)
            if text:
                narratives[lang][section] = text  # type: ignore[index]
    return narratives


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls and DEL; tab and breaks stay


def has_control_characters(text: str) -> bool:
    """Whether text holds an invisible control character (no person types one; a workbook cannot hold one)."""
    return CONTROL_CHARACTERS.search(text) is not None


def unix_newlines(text: str) -> str:
    """Line breaks as one character: browsers send a textarea's breaks as CR LF, which would count twice."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _as_number(value: Any, unit: str = "") -> float | None:
    """A finite number from a number or text as a person types it in a figure of ``unit`` ("1,200,000",
    "240万", "１．５％"; see :mod:`assessment.engine.typed_number`); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return read_typed_number(value, unit)
    try:
        number = float(value) if isinstance(value, int | float) else math.nan
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _suggest(key: str, choices: tuple[str, ...]) -> str:
    matches = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    return matches[0] if matches else ""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, list | dict) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def plain_number(value: float) -> int | float:
    """A figure as a person writes it: a whole number as an integer (2400000, not 2400000.0), a fraction as is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def to_document(assessment: Assessment) -> dict[str, Any]:
    """The assessment as a canonical interchange document (what the app exports and stores)."""
    client: dict[str, Any] = {"name": assessment.client.name}
    if assessment.client.employees is not None:
        client["employees"] = assessment.client.employees
    if assessment.client.industry:
        client["industry"] = assessment.client.industry
    tools: dict[str, Any] = dict(assessment.tools)
    tools.update({f"{kind}_product": product for kind, product in assessment.products.items()})
    if assessment.spreadsheet is not None:
        tools["spreadsheet"] = assessment.spreadsheet
    return {
        "version": 1,
        **({"date": assessment.dated.isoformat()} if assessment.dated else {}),
        "client": client,
        "checklist": {
            item: answer
            for item, answer in assessment.answers.items()
            if answer != "unknown" or item in assessment.answered
        },
        "comments": dict(assessment.comments),
        "survey": {
            "departments": dict(assessment.departments),
            "tools": tools,
            "funnel": {figure: plain_number(value) for figure, value in assessment.funnel.items()},
        },
        "notes": notes_section(assessment.narratives),
        **({"plan": {"start": assessment.plan_start.isoformat()}} if assessment.plan_start else {}),
        **(
            {
                "respondents": [
                    {"department": r.department, "name": r.respondent, "answers": dict(r.answers)}
                    | ({"comments": dict(r.comments)} if r.comments else {})
                    for r in assessment.responses
                ]
            }
            if assessment.responses
            else {}
        ),
        **({"baseline": to_document(assessment.baseline)} if assessment.baseline else {}),
    }
