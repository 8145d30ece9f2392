"""parse_assessment: hand-written input is accepted, and every real problem is reported with its path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assessment.content.model import Content
from assessment.documents import load_document
from assessment.engine.assessment_file import Assessment, parse_assessment
from assessment.engine.diagnosis import diagnose
from assessment.errors import AssessmentError
from assessment.presentation.export import diagnosis_to_dict


def _errors(source: object, content: Content) -> AssessmentError:
    with pytest.raises(AssessmentError) as info:
        parse_assessment(source, content)  # type: ignore[arg-type]
    return info.value


def _en(error: AssessmentError) -> list[str]:
    return [problem.render("en") for problem in error.problems]


# --- forgiving input -----------------------------------------------------------------------------------


def test_unquoted_yaml_yes_and_no_are_answers_not_booleans(content: Content) -> None:
    text = "checklist:\n  org.mql_definition: yes\n  org.sql_definition: no\n  org.kpis_defined: partial\n"
    assessment = parse_assessment(text, content)
    assert assessment.answers["org.mql_definition"] == "yes"
    assert assessment.answers["org.sql_definition"] == "no"
    assert assessment.answers["org.kpis_defined"] == "partial"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Yes", "yes"),
        ("NO", "no"),
        ("y", "yes"),
        ("n", "no"),
        ("true", "yes"),
        ("false", "no"),
        ("Partial", "partial"),
        ("unknown", "unknown"),
        ("'?'", "unknown"),
        ("''", "unknown"),
        ("~", "unknown"),
    ],
)
def test_answer_spellings(written: str, expected: str, content: Content) -> None:
    assessment = parse_assessment(f"checklist:\n  org.baton_meeting: {written}\n", content)
    assert assessment.answers["org.baton_meeting"] == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("はい", "yes"), ("いいえ", "no"), ("一部", "partial"), ("わからない", "unknown")],
)
def test_japanese_answer_words(written: str, expected: str, content: Content) -> None:
    assessment = parse_assessment(f"checklist:\n  org.kpis_defined: {written}\n", content)
    assert assessment.answers["org.kpis_defined"] == expected


def test_japanese_answers_all_at_once(content: Content) -> None:
    text = (
        "checklist:\n"
        "  org.mql_definition: はい\n"
        "  org.sql_definition: いいえ\n"
        "  org.kpis_defined: 一部\n"
        "  org.handoff_rules: わからない\n"
    )
    answers = parse_assessment(text, content).answers
    assert (
        answers["org.mql_definition"],
        answers["org.sql_definition"],
        answers["org.kpis_defined"],
        answers["org.handoff_rules"],
    ) == ("yes", "no", "partial", "unknown")


@pytest.mark.parametrize(
    ("written", "expected"),
    [("yes", True), ("no", False), ("true", True), ("false", False), ("はい", True), ("いいえ", False)],
)
def test_spreadsheet_words(written: str, expected: bool, content: Content) -> None:
    assessment = parse_assessment(f"survey:\n  tools:\n    spreadsheet: {written}\n", content)
    assert assessment.spreadsheet is expected


def test_spreadsheet_not_a_boolean_is_an_error(content: Content) -> None:
    error = _errors("survey:\n  tools:\n    spreadsheet: sometimes\n", content)
    assert _en(error) == ["survey.tools.spreadsheet: 'sometimes' is not true or false"]


def test_tool_status_and_staffing_spellings(content: Content) -> None:
    text = (
        "survey:\n"
        "  departments:\n"
        "    marketing: Dedicated\n"
        "    inside_sales: false\n"
        "  tools:\n"
        "    ma: In use\n"
        "    sfa: planned\n"
        "    sfa_product: Salesforce\n"
    )
    assessment = parse_assessment(text, content)
    assert dict(assessment.departments) == {"marketing": "dedicated", "inside_sales": "none"}
    assert dict(assessment.tools) == {"ma": "in_use", "sfa": "planned"}
    assert dict(assessment.products) == {"sfa": "Salesforce"}


def test_json_input_is_equivalent_to_yaml(content: Content) -> None:
    yaml_text = (
        "version: 1\n"
        "client:\n  name: 株式会社テスト\n  employees: 40\n"
        "checklist:\n  org.mql_definition: yes\n  org.sql_definition: no\n  tools.ma_plan: partial\n"
        "comments:\n  org.mql_definition: 定義あり\n"
        "survey:\n"
        "  departments:\n    marketing: shared\n"
        "  tools:\n    ma: in_use\n    spreadsheet: yes\n"
        "  funnel:\n    leads: 300\n    mqls: 45\n    connect_rate: 22.5\n"
    )
    json_text = json.dumps(
        {
            "version": 1,
            "client": {"name": "株式会社テスト", "employees": 40},
            "checklist": {
                "org.mql_definition": "yes",
                "org.sql_definition": "no",
                "tools.ma_plan": "partial",
            },
            "comments": {"org.mql_definition": "定義あり"},
            "survey": {
                "departments": {"marketing": "shared"},
                "tools": {"ma": "in_use", "spreadsheet": True},
                "funnel": {"leads": 300, "mqls": 45, "connect_rate": 22.5},
            },
        },
        ensure_ascii=False,
    )
    from_yaml = parse_assessment(yaml_text, content)
    from_json = parse_assessment(json_text, content)
    assert from_yaml == from_json
    assert from_json.client.name == "株式会社テスト"
    assert from_json.client.employees == 40
    assert from_json.spreadsheet is True
    assert dict(from_json.funnel) == {"leads": 300, "mqls": 45, "connect_rate": 22.5}


def test_json_booleans_as_answers(content: Content) -> None:
    text = '{"checklist": {"org.mql_definition": true, "org.sql_definition": false}}'
    answers = parse_assessment(text, content).answers
    assert (answers["org.mql_definition"], answers["org.sql_definition"]) == ("yes", "no")


def test_sample_as_json_equals_sample_as_yaml(content: Content, sample_path: Path) -> None:
    raw = sample_path.read_bytes()
    as_json = json.dumps(load_document(raw), ensure_ascii=False)
    assert parse_assessment(raw, content) == parse_assessment(as_json, content)


def test_parsed_mapping_is_accepted_like_text(content: Content, make_assessment) -> None:
    data = make_assessment(checklist={"org.exec_sponsorship": "yes"}, funnel={"leads": "1,200"})
    assessment = parse_assessment(data, content)
    assert assessment.answers["org.exec_sponsorship"] == "yes"
    assert dict(assessment.funnel) == {"leads": 1200}


def test_missing_optional_sections_are_fine(content: Content) -> None:
    assessment = parse_assessment("version: 1\n", content)
    assert assessment.client.name == ""
    assert assessment.client.employees is None
    assert set(assessment.answers.values()) == {"unknown"}
    assert dict(assessment.funnel) == {}
    assert dict(assessment.tools) == {}
    assert dict(assessment.departments) == {}
    assert assessment.spreadsheet is None
    assert assessment.warnings == ()


def test_even_version_may_be_left_out(content: Content) -> None:
    assessment = parse_assessment("client:\n  name: A\n", content)
    assert assessment.client.name == "A"


def test_empty_sections_are_fine(content: Content) -> None:
    text = "version: 1\nclient:\nchecklist: {}\ncomments:\nsurvey:\n  tools: {}\n  funnel:\nnotes: {}\n"
    assessment = parse_assessment(text, content)
    assert set(assessment.answers.values()) == {"unknown"}


def test_unanswered_items_are_unknown(content: Content) -> None:
    assessment = parse_assessment("checklist:\n  org.exec_sponsorship: yes\n", content)
    item_ids = [item.id for item in content.checklist.items]
    assert list(assessment.answers) == item_ids
    assert assessment.answers["org.exec_sponsorship"] == "yes"
    assert [assessment.answers[i] for i in item_ids if i != "org.exec_sponsorship"] == ["unknown"] * (len(item_ids) - 1)


def test_string_numbers_with_separators(content: Content) -> None:
    text = "client:\n  employees: '1,500'\nsurvey:\n  funnel:\n    average_deal_size: 1_200_000\n    leads: ' 800 '\n"
    assessment = parse_assessment(text, content)
    assert assessment.client.employees == 1500
    assert dict(assessment.funnel) == {"average_deal_size": 1_200_000, "leads": 800}


def test_whole_float_count_becomes_int(content: Content) -> None:
    assessment = parse_assessment("survey:\n  funnel:\n    leads: 800.0\n", content)
    assert assessment.funnel["leads"] == 800
    assert isinstance(assessment.funnel["leads"], int)


def test_sample_parses(content: Content, sample_path: Path) -> None:
    assessment = parse_assessment(sample_path.read_bytes(), content)
    assert isinstance(assessment, Assessment)
    assert assessment.client.name == "株式会社サンプル"
    assert assessment.client.employees == 150
    assert assessment.answers["org.exec_sponsorship"] == "yes"
    assert assessment.answers["org.customer_success_plan"] == "no"
    assert assessment.answers["tools.tool_owners"] == "unknown"
    assert assessment.spreadsheet is True
    assert dict(assessment.tools) == {"ma": "in_use", "sfa": "planned"}
    assert dict(assessment.products) == {"ma": "HubSpot"}
    assert assessment.funnel["leads"] == 800
    assert assessment.warnings == ()


# --- exact messages ------------------------------------------------------------------------------------


def test_bad_answer_and_out_of_range_percentage_messages(content: Content) -> None:
    text = "checklist:\n  org.mql_definition: maybe\nsurvey:\n  funnel:\n    connect_rate: 150\n"
    error = _errors(text, content)
    assert _en(error) == [
        "checklist.org.mql_definition: 'maybe' is not one of yes, partial, no, unknown",
        "survey.funnel.connect_rate: 150 is above 100",
    ]
    assert error.messages("en") == _en(error)
    assert str(error) == "\n".join(_en(error))


def test_japanese_rendering_carries_the_path(content: Content) -> None:
    text = "checklist:\n  org.mql_definition: maybe\nsurvey:\n  funnel:\n    connect_rate: 150\n"
    ja = _errors(text, content).messages("ja")
    assert len(ja) == 2
    assert ja[0].startswith("checklist.org.mql_definition: ")
    assert "'maybe'" in ja[0]
    assert "のいずれでもありません" in ja[0]
    assert ja[1].startswith("survey.funnel.connect_rate: ")
    assert "150" in ja[1]
    assert "上限 100" in ja[1]


def test_every_problem_is_listed_at_once_with_its_path(content: Content) -> None:
    text = (
        "version: 1\n"
        "client:\n  employees: -3\n  name: [a, b]\n"
        "checklist:\n  org.mql_definition: maybe\n  org.sql_definition: {x: 1}\n  org.nope: yes\n"
        "comments:\n  tools.ma_plan: [not, text]\n"
        "survey:\n"
        "  departments:\n    marketing: lots\n"
        "  tools:\n    ma: bought\n    spreadsheet: perhaps\n"
        "  funnel:\n    leads: -1\n    mqls: 2.5\n    sqls: many\n    connect_rate: 150\n"
    )
    error = _errors(text, content)
    paths = [problem.path for problem in error.problems]
    assert paths == [
        "client.employees",
        "client.name",
        "checklist.org.nope",
        "checklist.org.mql_definition",
        "checklist.org.sql_definition",
        "comments.tools.ma_plan",
        "survey.departments.marketing",
        "survey.tools.ma",
        "survey.tools.spreadsheet",
        "survey.funnel.leads",
        "survey.funnel.mqls",
        "survey.funnel.sqls",
        "survey.funnel.connect_rate",
    ]
    for rendered, path in zip(_en(error), paths, strict=True):
        assert rendered.startswith(f"{path}: ")
    for rendered, path in zip(error.messages("ja"), paths, strict=True):
        assert rendered.startswith(f"{path}: ")


def test_unknown_item_suggests_the_near_miss(content: Content) -> None:
    error = _errors("checklist:\n  org.mql_defintion: yes\n", content)
    assert [p.code for p in error.problems] == ["unknown_item"]
    assert _en(error) == [
        "checklist.org.mql_defintion: 'org.mql_defintion' is not a checklist item (did you mean 'org.mql_definition'?)"
    ]
    ja = error.messages("ja")[0]
    assert ja.startswith("checklist.org.mql_defintion: ")
    assert "org.mql_definition" in ja.split(": ", 1)[1]


def test_unknown_item_in_comments_suggests_too(content: Content) -> None:
    error = _errors("comments:\n  org.sql_defnition: 未定\n", content)
    assert _en(error) == [
        "comments.org.sql_defnition: 'org.sql_defnition' is not a checklist item (did you mean 'org.sql_definition'?)"
    ]


def test_unknown_item_far_from_anything_has_no_suggestion(content: Content) -> None:
    error = _errors("checklist:\n  zzzz: yes\n", content)
    assert _en(error) == ["checklist.zzzz: 'zzzz' is not a checklist item"]


def test_unknown_top_level_key_suggests(content: Content) -> None:
    error = _errors("clinet:\n  name: A\n", content)
    assert _en(error) == ["clinet: 'clinet' is not a known field (did you mean 'client'?)"]


def test_unknown_funnel_figure_suggests(content: Content) -> None:
    error = _errors("survey:\n  funnel:\n    lead: 10\n", content)
    assert _en(error) == ["survey.funnel.lead: 'lead' is not a known field (did you mean 'leads'?)"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("survey:\n  funnel:\n    leads: -1\n", "survey.funnel.leads: -1 is below 0"),
        ("survey:\n  funnel:\n    wins: -10\n", "survey.funnel.wins: -10 is below 0"),
        ("client:\n  employees: -5\n", "client.employees: -5 is below 0"),
        ("survey:\n  funnel:\n    nps: -101\n", "survey.funnel.nps: -101 is below -100"),
    ],
)
def test_negative_counts(text: str, message: str, content: Content) -> None:
    assert _en(_errors(text, content)) == [message]


def test_negative_nps_within_range_is_fine(content: Content) -> None:
    assert parse_assessment("survey:\n  funnel:\n    nps: -40\n", content).funnel["nps"] == -40


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("survey:\n  funnel:\n    mqls: 1.5\n", "survey.funnel.mqls: 1.5 is not a whole number"),
        ("survey:\n  funnel:\n    leads: '12.25'\n", "survey.funnel.leads: 12.25 is not a whole number"),
        ("client:\n  employees: 10.5\n", "client.employees: 10.5 is not a whole number"),
    ],
)
def test_non_integer_counts(text: str, message: str, content: Content) -> None:
    assert _en(_errors(text, content)) == [message]


def test_non_integer_allowed_where_the_figure_is_not_a_count(content: Content) -> None:
    assessment = parse_assessment("survey:\n  funnel:\n    lead_response_hours: 1.5\n", content)
    assert assessment.funnel["lead_response_hours"] == 1.5


def test_list_where_a_number_is_expected(content: Content) -> None:
    error = _errors("survey:\n  funnel:\n    leads: [1, 2]\n", content)
    assert [(p.path, p.code) for p in error.problems] == [("survey.funnel.leads", "not_number")]
    assert _en(error)[0].startswith("survey.funnel.leads: ")
    assert _en(error)[0].endswith(" is not a number: type it in digits, for example 120")


def test_mapping_where_a_number_is_expected(content: Content) -> None:
    error = _errors("client:\n  employees: {count: 5}\n", content)
    assert [(p.path, p.code) for p in error.problems] == [("client.employees", "not_number")]


def test_mapping_where_an_answer_is_expected(content: Content) -> None:
    error = _errors("checklist:\n  org.kpis_defined: {answer: yes}\n", content)
    assert [(p.path, p.code) for p in error.problems] == [("checklist.org.kpis_defined", "bad_choice")]
    assert _en(error)[0].startswith("checklist.org.kpis_defined: ")
    assert _en(error)[0].endswith(" is not one of yes, partial, no, unknown")


def test_list_where_an_answer_is_expected(content: Content) -> None:
    error = _errors("checklist:\n  org.kpis_defined: [yes]\n", content)
    assert [(p.path, p.code) for p in error.problems] == [("checklist.org.kpis_defined", "bad_choice")]


@pytest.mark.parametrize("written", ["true", "false"])
def test_bool_as_number_is_refused(written: str, content: Content) -> None:
    error = _errors(f"survey:\n  funnel:\n    wins: {written}\nclient:\n  employees: {written}\n", content)
    assert [(p.path, p.code) for p in error.problems] == [
        ("client.employees", "not_number"),
        ("survey.funnel.wins", "not_number"),
    ]


def test_number_where_answer_expected(content: Content) -> None:
    error = _errors("checklist:\n  org.kpis_defined: 1\n", content)
    assert _en(error) == ["checklist.org.kpis_defined: '1' is not one of yes, partial, no, unknown"]


def test_sections_of_the_wrong_shape(content: Content) -> None:
    error = _errors("client: ACME\nchecklist: [yes, no]\nsurvey: 3\n", content)
    assert [(p.path, p.code) for p in error.problems] == [
        ("client", "not_mapping"),
        ("checklist", "not_mapping"),
        ("survey", "not_mapping"),
    ]
    assert _en(error)[0] == "client: must be a mapping of keys to values"


def test_text_fields_have_limits(content: Content) -> None:
    error = _errors(f"client:\n  industry: {'a' * 201}\n", content)
    assert _en(error) == ["client.industry: is longer than 200 characters"]


@pytest.mark.parametrize("version", ["2", "'2'", "0", "1.5", "true", "[1]"])
def test_other_versions_are_rejected(version: str, content: Content) -> None:
    error = _errors(f"version: {version}\n", content)
    assert [(p.path, p.code) for p in error.problems] == [("version", "bad_version")]


def test_version_2_message(content: Content) -> None:
    assert _en(_errors("version: 2\n", content)) == ["version: version 2 is not supported; use 1"]


@pytest.mark.parametrize("version", ["1", "'1'"])
def test_version_1_in_either_spelling(version: str, content: Content) -> None:
    assessment = parse_assessment(f"version: {version}\n", content)
    assert set(assessment.answers.values()) == {"unknown"} and assessment.client.name == ""


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("", "empty"),
        ("   \n\t\n", "empty"),
        (b"a: \x00", "binary"),
        (b"a: \xff\xfe", "not_utf8"),
        ("a: [1, 2", "not_yaml"),
        ("- a\n- b\n", "not_mapping"),
        ("[1, 2]", "not_mapping"),
        ("just a sentence", "not_mapping"),
        ("42", "not_mapping"),
    ],
)
def test_unreadable_documents_become_one_problem(source: str | bytes, code: str, content: Content) -> None:
    error = _errors(source, content)
    assert [(p.path, p.code) for p in error.problems] == [("", code)]


def test_top_level_list_message(content: Content) -> None:
    assert _en(_errors("- a\n", content)) == ["must be a mapping of keys to values"]


# --- warnings ------------------------------------------------------------------------------------------


def test_more_mqls_than_leads_is_read_and_judged_by_the_diagnosis(content: Content) -> None:
    """The reader keeps the figures as given; whether they can be true is the diagnosis's data-quality judgement."""
    assessment = parse_assessment("survey:\n  funnel:\n    leads: 10\n    mqls: 20\n", content)
    assert dict(assessment.funnel) == {"leads": 10, "mqls": 20}
    assert assessment.warnings == ()
    exported = diagnosis_to_dict(diagnose(assessment, content), content, "en")
    quality = exported["funnel"]["data_quality"]
    assert quality["status"] == "invalid"
    assert quality["problems"][0]["code"] == "stage_exceeds_previous"
    assert "MQLs (20) exceed leads (10)" in quality["problems"][0]["message"]
    japanese = diagnosis_to_dict(diagnose(assessment, content), content, "ja")["funnel"]["data_quality"]
    assert japanese["problems"][0]["message"].startswith("MQL（20件）が前段のリード（10件）を上回り")


def test_growth_across_a_skipped_stage_is_judged_against_the_previous_given(content: Content) -> None:
    text = "survey:\n  funnel:\n    leads: 100\n    sqls: 150\n    wins: 5\n"
    exported = diagnosis_to_dict(diagnose(parse_assessment(text, content), content), content, "en")
    assert "SQLs (150) exceed leads (100)" in exported["funnel"]["data_quality"]["problems"][0]["message"]


def test_a_shrinking_funnel_is_ok(content: Content) -> None:
    text = "survey:\n  funnel:\n    leads: 100\n    mqls: 20\n    sqls: 10\n    opportunities: 8\n    wins: 2\n"
    exported = diagnosis_to_dict(diagnose(parse_assessment(text, content), content), content, "en")
    assert exported["funnel"]["data_quality"] == {"status": "ok", "problems": []}


# --- comments are text ---------------------------------------------------------------------------------

HOSTILE_COMMENTS = {
    "org.mql_definition": "<script>alert(1)</script>",
    "org.sql_definition": '<img src="file:///etc/passwd">',
    "org.kpis_defined": "http://example.com/x.png",
    "org.handoff_rules": "![x](http://example.com/x.png) & <b>bold</b> {placeholder} {0}",
}


def test_comments_with_markup_and_urls_are_kept_verbatim(content: Content) -> None:
    text = yaml.safe_dump({"comments": HOSTILE_COMMENTS}, allow_unicode=True)
    assessment = parse_assessment(text, content)
    assert dict(assessment.comments) == HOSTILE_COMMENTS


def test_comments_verbatim_in_json_input_and_export(content: Content) -> None:
    text = json.dumps({"comments": HOSTILE_COMMENTS})
    assessment = parse_assessment(text, content)
    assert dict(assessment.comments) == HOSTILE_COMMENTS
    exported = diagnosis_to_dict(diagnose(assessment, content), content, "ja")
    comments = {item["id"]: item["comment"] for item in exported["items"] if item["comment"]}
    assert comments == HOSTILE_COMMENTS


def test_markup_in_a_bad_value_is_reported_as_text(content: Content) -> None:
    error = _errors("checklist:\n  org.kpis_defined: '<script>alert(1)</script>'\n", content)
    assert _en(error) == [
        "checklist.org.kpis_defined: '<script>alert(1)</script>' is not one of yes, partial, no, unknown"
    ]


def test_braces_in_a_bad_value_do_not_break_the_message(content: Content) -> None:
    error = _errors("checklist:\n  org.kpis_defined: '{choices} {0}'\n", content)
    assert _en(error) == ["checklist.org.kpis_defined: '{choices} {0}' is not one of yes, partial, no, unknown"]


# --- huge numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "survey:\n  funnel:\n    leads: 1" + "0" * 400 + "\n",
        '{"client": {"employees": 1' + "0" * 400 + "}}",
    ],
    ids=["yaml-huge-int-count", "json-huge-int-employees"],
)
def test_integers_too_big_for_a_float_are_reported_not_raised(text: str, content: Content) -> None:
    error = _errors(text, content)
    assert len(error.problems) == 1
    assert error.problems[0].path in ("survey.funnel.leads", "client.employees")
    assert error.problems[0].code in ("above_max", "not_number")


def test_integer_with_more_digits_than_python_prints_is_reported(content: Content) -> None:
    error = _errors('{"survey": {"funnel": {"leads": 1' + "0" * 5000 + "}}}", content)
    assert len(error.problems) == 1


# --- the plan's start day ----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["plan:\n  start: 2027-01-04\n", "plan:\n  start: '2027-01-04'\n"])
def test_plan_start_is_read_unquoted_or_quoted_and_written_back(content: Content, written: str) -> None:
    from datetime import date

    from assessment.engine.assessment_file import to_document

    assessment = parse_assessment(written, content)
    assert assessment.plan_start == date(2027, 1, 4)
    assert to_document(assessment)["plan"] == {"start": "2027-01-04"}
    assert diagnose(assessment, content).plan.start == date(2027, 1, 4)
    assert "plan" not in to_document(parse_assessment("client: {name: x}\n", content))


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("plan:\n  start: 2027-02-30\n", "plan.start: '2027-02-30' is not a date written YYYY-MM-DD"),
        ("plan:\n  start: 1999-12-27\n", "plan.start: '1999-12-27' is not a date"),
        ("plan:\n  start: [2027]\n", "plan.start: '[2027]' is not a date"),
        ("plan:\n  begin: 2027-01-04\n", "plan.begin"),
        ("plan: 2027-01-04\n", "plan"),
    ],
)
def test_a_bad_plan_start_is_reported_with_its_path(content: Content, written: str, message: str) -> None:
    assert any(line.startswith(message) for line in _en(_errors(written, content))), _en(_errors(written, content))
