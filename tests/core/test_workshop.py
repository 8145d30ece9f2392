"""The workshop core: which answer counts per item, the document the diagnosis reads, the live counts, exports."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from assessment import diagnose, load_content, parse_assessment
from assessment.engine.wording import role_label
from assessment.engine.workshop import (
    RespondentAnswers,
    decisions,
    distribution,
    participation,
    perception_of,
    set_final_answer,
    workshop_document,
)
from assessment.i18n import translator
from assessment.presentation.workshop_export import consensus_table, respondent_table, to_csv, to_xlsx
from tests.core.builders import ITEM_IDS

CONTENT = load_content()
MQL = "org.mql_definition"
HANDOFF = "org.handoff_rules"


def people(*specs: tuple[str, dict[str, str]]) -> list[RespondentAnswers]:
    return [RespondentAnswers(dept, f"{dept}-{i}", answers) for i, (dept, answers) in enumerate(specs)]


def test_consensus_fills_items_without_a_final_answer_and_the_final_answer_wins() -> None:
    respondents = people(
        ("marketing", {MQL: "yes", HANDOFF: "yes"}),
        ("field_sales", {MQL: "no", HANDOFF: "yes"}),
    )
    base = {"version": 1, "client": {"name": "X"}, "checklist": {HANDOFF: "partial"}}
    document = workshop_document(base, respondents, CONTENT)
    assert document["checklist"][MQL] == "no"  # lower median of yes / no: not yet in place
    assert document["checklist"][HANDOFF] == "partial"  # the consultant's final answer stands
    assert [r["department"] for r in document["respondents"]] == ["marketing", "field_sales"]
    assert base == {"version": 1, "client": {"name": "X"}, "checklist": {HANDOFF: "partial"}}  # not mutated
    diagnosis = diagnose(parse_assessment(document, CONTENT), CONTENT)
    assert diagnosis.perception is not None
    assert [v.item_id for v in diagnosis.perception.gaps] == [MQL]


def test_items_nobody_answered_stay_open_and_no_respondents_means_no_respondents_section() -> None:
    document = workshop_document({"version": 1}, people(("marketing", {MQL: "yes"})), CONTENT)
    assert set(document["checklist"]) == {MQL}
    assert workshop_document({"version": 1, "respondents": []}, people(("sales", {})), CONTENT) == {"version": 1}


def test_a_department_of_five_does_not_outvote_a_department_of_one() -> None:
    respondents = people(*[("marketing", {MQL: "yes"})] * 5, ("field_sales", {MQL: "no"}))
    view = perception_of(respondents, CONTENT).item(MQL)
    assert view.by_department == {"marketing": "yes", "field_sales": "no"}
    assert view.gap and view.consensus == "no"


# Joined in the reverse of THE MODEL's order, with management (an other role) before customer success.
LATE_MARKETING = people(
    ("management", {MQL: "partial"}),
    ("customer_success", {MQL: "no"}),
    ("field_sales", {MQL: "no"}),
    ("inside_sales", {MQL: "partial"}),
    ("marketing", {MQL: "yes"}),
)
MODEL_ORDER = ["marketing", "inside_sales", "field_sales", "customer_success", "management"]


def test_departments_follow_the_model_not_who_joined_first() -> None:
    perception = perception_of(LATE_MARKETING, CONTENT)
    assert list(perception.departments) == MODEL_ORDER
    assert list(perception.item(MQL).by_department) == MODEL_ORDER
    document = workshop_document({"version": 1}, LATE_MARKETING, CONTENT)
    assert [r["department"] for r in document["respondents"]] == MODEL_ORDER
    diagnosis = diagnose(parse_assessment(document, CONTENT), CONTENT)
    assert diagnosis.perception is not None and list(diagnosis.perception.departments) == MODEL_ORDER
    counts = participation(LATE_MARKETING, len(ITEM_IDS), CONTENT.survey.roles)
    assert list(counts["by_department"]) == MODEL_ORDER


def test_exports_list_the_departments_in_the_model_order() -> None:
    perception = perception_of(LATE_MARKETING, CONTENT)
    headers, _ = consensus_table(perception, decisions(perception, {}), CONTENT, "en")
    departments = [h for h in headers if h in ("Marketing", "Inside sales", "Field sales", "Customer success",
                                              "Management")]  # fmt: skip
    assert departments[0] == "Marketing" and departments[-1] == "Management"
    headers, rows = respondent_table(LATE_MARKETING, CONTENT, "en")
    departments = [dict(zip(headers, row, strict=True))["Department id"] for row in rows]
    assert list(dict.fromkeys(departments)) == MODEL_ORDER


def test_decisions_read_final_answers_and_notes_from_the_document() -> None:
    respondents = people(("marketing", {MQL: "yes"}), ("inside_sales", {MQL: "partial"}))
    document: dict = {"version": 1}
    set_final_answer(document, MQL, "yes", "  agreed after the demo  ")
    set_final_answer(document, HANDOFF, None, "")
    by_item = {d.item_id: d for d in decisions(perception_of(respondents, CONTENT), document)}
    assert by_item[MQL].consensus == "partial" and by_item[MQL].final == "yes" and by_item[MQL].settled == "yes"
    assert by_item[MQL].note == "agreed after the demo"
    assert by_item[HANDOFF].final is None and by_item[HANDOFF].settled == "unknown"
    set_final_answer(document, MQL, None, "")  # back to the proposed consensus
    assert MQL not in document["checklist"] and MQL not in document["comments"]


def test_distribution_and_participation_count_people_not_departments() -> None:
    respondents = people(
        ("marketing", dict.fromkeys(ITEM_IDS, "yes")),
        ("marketing", {MQL: "no"}),
        ("customer_success", {}),
    )
    rows = {row["item"]: row for row in distribution(respondents, CONTENT)}
    assert rows[MQL]["counts"] == {"yes": 1, "partial": 0, "no": 1, "unknown": 0, "unanswered": 0}
    assert rows[MQL]["answered"] == 2
    # the second marketer never answered the hand-off: not answered, apart, adding up to the two who started
    assert rows[HANDOFF]["counts"] == {"yes": 1, "partial": 0, "no": 0, "unknown": 0, "unanswered": 1}
    assert rows[HANDOFF]["answered"] == 1
    counts = participation(respondents, len(ITEM_IDS), CONTENT.survey.roles)
    assert counts == {
        "invited": 3,
        "started": 2,
        "finished": 1,
        "by_department": {"marketing": 2, "customer_success": 1},
    }


def test_respondent_export_has_a_row_per_person_and_item_with_labels_and_comments() -> None:
    respondents = [
        RespondentAnswers("marketing", "佐藤", {MQL: "yes"}, {MQL: '=HYPERLINK("http://x")'}),
        RespondentAnswers("field_sales", "Lee", {MQL: "no"}),
    ]
    headers, rows = respondent_table(respondents, CONTENT, "ja", names=True)
    assert headers[:2] == ("回答者ID", "回答者") and len(rows) == 2 * len(ITEM_IDS)
    first = dict(zip(headers, rows[ITEM_IDS.index(MQL)], strict=True))
    assert first["回答者"] == "佐藤" and first["部門"] == "マーケティング" and first["回答"] == "はい"
    assert "回答者" not in respondent_table(respondents, CONTENT, "ja")[0]  # anonymous unless asked
    assert first["項目ID"] == MQL and first["項目"] == CONTENT.checklist.item(MQL).text.ja
    data = to_csv((headers, rows))
    assert data.startswith("\ufeff".encode())  # Excel needs the BOM for Japanese
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == list(headers) and len(parsed) == 1 + len(rows)
    comment = parsed[1 + ITEM_IDS.index(MQL)][headers.index("コメント")]
    assert comment == '\'=HYPERLINK("http://x")'  # never run as a formula in a spreadsheet


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_consensus_export_reads_back_from_xlsx_as_written(lang: str) -> None:
    respondents = people(("marketing", {MQL: "yes"}), ("field_sales", {MQL: "no"}))
    document: dict = {"version": 1}
    set_final_answer(document, MQL, "partial", "MQLの定義を来週までに文書化")
    perception = perception_of(respondents, CONTENT)
    table = consensus_table(perception, decisions(perception, document), CONTENT, lang)  # type: ignore[arg-type]
    workbook = load_workbook(io.BytesIO(to_xlsx([("Consensus", table), ("Respondents", respondent_table(
        respondents, CONTENT, lang))])))  # type: ignore[arg-type]  # fmt: skip
    assert workbook.sheetnames == ["Consensus", "Respondents"]
    sheet = workbook["Consensus"]
    values = [tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == table[0]
    assert values[1:] == [tuple(row) for row in table[1]]
    mql = dict(zip(table[0], next(r for r in table[1] if r[1] == MQL), strict=True))
    final_header, gap_header = table[0][-4], table[0][-2]
    assert mql[final_header] == ("一部" if lang == "ja" else "Partly")
    assert mql[gap_header]  # the perception gap is flagged
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    ("lang", "not_answered", "dont_know"), [("ja", "未回答", "わからない"), ("en", "Not answered", "Don't know")]
)
def test_both_exports_say_not_answered_for_an_item_nobody_from_a_department_answered(
    lang: str, not_answered: str, dont_know: str
) -> None:
    # the customer-success person never answered the MQL item; inside sales said "don't know"
    respondents = people(
        ("marketing", {MQL: "yes"}), ("inside_sales", {MQL: "unknown"}), ("customer_success", {HANDOFF: "yes"})
    )
    perception = perception_of(respondents, CONTENT)
    headers, rows = consensus_table(perception, decisions(perception, {}), CONTENT, lang)  # type: ignore[arg-type]
    mql = dict(zip(headers, next(r for r in rows if r[1] == MQL), strict=True))
    words = translator(lang)  # type: ignore[arg-type]
    roles = {role: role_label(role, CONTENT, lang) for role in CONTENT.survey.roles}  # type: ignore[arg-type]
    assert mql[roles["customer_success"]] == not_answered and mql[roles["inside_sales"]] == dont_know
    assert mql[roles["field_sales"]] == ""  # nobody from field sales: blank
    assert words("Not answered") == not_answered
    headers, rows = respondent_table(respondents, CONTENT, lang)  # type: ignore[arg-type]
    named = [dict(zip(headers, row, strict=True)) for row in rows]
    said = {
        row[words("Item id")]: (row[words("Answer id")], row[words("Answer")])
        for row in named
        if row[words("Department id")] == "customer_success"
    }
    assert said[MQL] == ("", not_answered)  # blank id (no answer was given), "not answered" in words
    assert said[HANDOFF] == ("yes", words("Yes") if lang == "en" else "はい")
