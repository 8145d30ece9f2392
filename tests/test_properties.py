"""Property tests: whatever a client sends, the core answers with AssessmentError/DocumentError or a result.

Explicit ``@example`` inputs pin the cases found so far, so the properties fail deterministically on them.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessment.content.loader import load_content
from assessment.content.model import Content
from assessment.documents import DocumentError, load_document
from assessment.engine.assessment_file import parse_assessment
from assessment.engine.diagnosis import diagnose
from assessment.errors import AssessmentError
from assessment.presentation.export import diagnosis_to_dict

# The strategies need the ids at import time, so the content is loaded here rather than taken from the
# ``content`` fixture (which would also fill every falsifying example's report with the whole content).
CONTENT = load_content()
ITEM_IDS = [item.id for item in CONTENT.checklist.items]
DEPARTMENTS = [d.id for d in CONTENT.survey.departments]
TOOL_KINDS = [t.id for t in CONTENT.survey.tools]
FIGURES = [f.id for f in CONTENT.survey.funnel]

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

EDGE_NUMBERS = [0, -1, 1, 0.5, 100, 101, -100, 1e-300, 1e300, 1e308, 1.7976931348623157e308, 10**20, 10**400]
numbers = st.one_of(
    st.integers(),
    st.floats(),
    st.sampled_from(EDGE_NUMBERS),
    st.integers(min_value=-(10**500), max_value=10**500),
)
words = st.sampled_from(
    [
        "yes", "no", "partial", "unknown", "Yes", "NO", "はい", "いいえ", "一部", "わからない", "?", "", " ",
        "dedicated", "shared", "none", "planned", "in_use", "In use", "in-use", "true", "false", "maybe",
        "1,200", "1_000", "１２", "1e400", "nan", "-0", "<script>alert(1)</script>", "{value}", "{0}",
    ]
)  # fmt: skip
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=30), words)
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), words), children, max_size=4),
    ),
    max_leaves=15,
)
wild = st.one_of(words, numbers, scalars, json_like)


def _section(keys: list[str]) -> st.SearchStrategy[Any]:
    """A section with known keys (and sometimes a stray one) holding random values, or a random value."""
    known = st.dictionaries(st.sampled_from(keys), wild, max_size=len(keys))
    stray = st.dictionaries(st.one_of(st.text(max_size=20), st.sampled_from([k + "x" for k in keys])), wild, max_size=2)
    return st.one_of(known, st.builds(lambda a, b: {**a, **b}, known, stray), wild)


assessment_like = st.fixed_dictionaries(
    {},
    optional={
        "version": st.one_of(st.just(1), st.just("1"), wild),
        "client": st.one_of(
            st.fixed_dictionaries({}, optional={"name": wild, "employees": wild, "industry": wild}), wild
        ),
        "checklist": _section(ITEM_IDS),
        "comments": _section(ITEM_IDS),
        "survey": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "departments": _section(DEPARTMENTS),
                    "tools": _section([*TOOL_KINDS, *(f"{k}_product" for k in TOOL_KINDS), "spreadsheet"]),
                    "funnel": _section(FIGURES),
                },
            ),
            wild,
        ),
        "notes": st.one_of(st.dictionaries(st.text(max_size=70), wild, max_size=3), wild),
    },
)

# Well-formed funnels with plausible-to-extreme figures: the maths must hold up.
funnel_numbers = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.floats(min_value=0, max_value=1e308, allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 1e-300, 1e300, 1e308]),
)
valid_funnels = st.fixed_dictionaries({}, optional={figure: funnel_numbers for figure in FIGURES})


def _check_diagnosis(source: Any, content: Content) -> None:
    """Parse; on success the diagnosis and its JSON export must work in both languages."""
    try:
        assessment = parse_assessment(source, content)
    except AssessmentError as exc:
        assert exc.problems
        for lang in ("ja", "en"):
            for message in exc.messages(lang):
                assert isinstance(message, str)
                assert message
        return
    diagnosis = diagnose(assessment, content)
    for lang in ("ja", "en"):
        exported = diagnosis_to_dict(diagnosis, content, lang)
        text = json.dumps(exported, ensure_ascii=False, allow_nan=False)
        assert json.loads(text)["lang"] == lang


BUG_EXAMPLES: list[dict[str, Any]] = [
    {"survey": {"funnel": {"leads": 10**400}}},
    {"client": {"employees": 10**400}},
    {"survey": {"funnel": {"wins": 10, "average_deal_size": 1e308}}},
    {"survey": {"funnel": {"wins": 10, "average_deal_size": 1e-300, "monthly_revenue_target": 1e300}}},
    {"survey": {"funnel": {"monthly_churn_rate": 0}}},
    {"survey": {"funnel": {"pipeline_amount": 1e308, "monthly_revenue_target": 1e-300}}},
]


@SETTINGS
@given(document=json_like)
def test_arbitrary_json_like_documents(document: Any) -> None:
    _check_diagnosis(document, CONTENT)


@SETTINGS
@given(document=assessment_like)
@example(document=BUG_EXAMPLES[0])
@example(document=BUG_EXAMPLES[1])
@example(document=BUG_EXAMPLES[2])
@example(document=BUG_EXAMPLES[3])
@example(document=BUG_EXAMPLES[4])
@example(document=BUG_EXAMPLES[5])
def test_assessment_shaped_documents(document: dict[str, Any]) -> None:
    _check_diagnosis(document, CONTENT)


@SETTINGS
@given(document=assessment_like, as_json=st.booleans())
@example(document={"survey": {"funnel": {"leads": 10**400}}}, as_json=False)
@example(document={"client": {"employees": 10**400}}, as_json=True)
def test_assessment_shaped_documents_as_text(document: dict[str, Any], as_json: bool) -> None:
    if as_json:
        text = json.dumps(document, ensure_ascii=False, default=str)
    else:
        text = yaml.safe_dump(document, allow_unicode=True)
    _check_diagnosis(text, CONTENT)


@SETTINGS
@given(funnel=valid_funnels, employees=st.one_of(st.none(), st.integers(min_value=0, max_value=10_000_000)))
@example(funnel={"wins": 10, "average_deal_size": 1e308}, employees=None)
@example(funnel={"wins": 1, "average_deal_size": 1e-300, "monthly_revenue_target": 1e300}, employees=None)
@example(funnel={"monthly_churn_rate": 0}, employees=50)
def test_valid_funnels_always_diagnose(funnel: dict[str, Any], employees: int | None) -> None:
    content = CONTENT
    document: dict[str, Any] = {"version": 1, "survey": {"funnel": funnel}}
    if employees is not None:
        document["client"] = {"employees": employees}
    try:
        assessment = parse_assessment(document, content)
    except AssessmentError as exc:
        # Only range/integer complaints are possible for these figures (e.g. 150 % or 2.5 leads).
        assert {p.code for p in exc.problems} <= {"above_max", "not_integer"}
        return
    diagnosis = diagnose(assessment, content)
    exported = diagnosis_to_dict(diagnosis, content, "en")
    json.dumps(exported, allow_nan=False)
    required = exported["funnel"]["required_leads"]
    assert required is None or (isinstance(required, int) and required >= 0)


def _load(source: str | bytes) -> None:
    try:
        load_document(source)
    except DocumentError as exc:
        assert exc.code in {
            "empty",
            "binary",
            "not_utf8",
            "too_large",
            "too_deep",
            "too_many_nodes",
            "not_yaml",
        }


@SETTINGS
@given(text=st.text(max_size=300))
def test_load_document_on_arbitrary_text(text: str) -> None:
    _load(text)


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_load_document_on_arbitrary_bytes(raw: bytes) -> None:
    _load(raw)


YAML_TOKENS = [*"[]{}:,-&*!|>'\"#?% \n\tab01.eE+~", "yes", "no", "!!", "&a ", "*a", "\\u", "\n  ", "- ", ": "]
yamlish = st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join)


@SETTINGS
@given(text=yamlish)
def test_load_document_on_yaml_like_text(text: str) -> None:
    _load(text)
