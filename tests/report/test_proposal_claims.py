"""What the proposal claims rests on the plan and the evidence: risks and prerequisites cite the plan's own tasks
(a done one marked done), the baton meeting starts when the plan says and reviews what was agreed before it,
a re-assessment claims only work an answer shows, a scaled benchmark says how it was scaled, and a note in
another language than the document's says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assessment import diagnose, load_content, parse_assessment
from assessment.engine.comparison import compare
from assessment.engine.roadmap.calendar import last_day, week_date
from assessment.presentation.view import build_view
from assessment.presentation.view.words import day
from assessment.report.i18n import translations
from tests.core.builders import ITEM_IDS, build, run

CONTENT = load_content()
SAMPLE = Path(__file__).resolve().parents[2] / "questionnaires" / "samples" / "sample.yaml"
TITLES = {task.id: task.title for task in CONTENT.tasks}


def sample(**changes: Any) -> dict[str, Any]:
    """The bundled sample (150 people, MA in use, SFA planned), its customer master already in place, its sales
    cycle 60 days, the plan starting on Monday 4 January 2027, with ``changes`` on top."""
    document: dict[str, Any] = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    document["checklist"]["data.customer_master"] = "yes"
    document["survey"]["funnel"]["sales_cycle_days"] = 60
    document["plan"] = {"start": "2027-01-04"}
    document.update(changes)
    return document


def view(document: dict[str, Any], lang: str) -> Any:
    diagnosis = diagnose(parse_assessment(document, CONTENT), CONTENT)
    return diagnosis, build_view(diagnosis, CONTENT, lang, translations(lang).gettext)  # type: ignore[arg-type]


def test_a_risk_cites_a_task_already_done_as_done_never_as_work_to_come() -> None:
    diagnosis, ja = view(sample(), "ja")
    assert diagnosis.plan.task("customer_master").status == "done"
    cited = {risk["id"]: risk["tasks"] for risk in ja["risks"]}
    assert {"silo", "data_silo"} & set(cited), cited  # the risks the review saw cite the customer master
    pending = {t.title.get("ja") for t in diagnosis.plan.tasks if t.status == "pending"}
    done = {t.title.get("ja") + "（実施済み）" for t in diagnosis.plan.tasks if t.status == "done"}
    for rule, tasks in cited.items():
        assert set(tasks) <= pending | done, (rule, set(tasks) - pending - done)
    assert any("顧客マスタの一元化（実施済み）" in tasks for tasks in cited.values())
    assert not any("顧客マスタの一元化" in tasks for tasks in cited.values())
    _, en = view(sample(), "en")
    assert any("Build one customer master (done)" in risk["tasks"] for risk in en["risks"])


def test_a_prerequisite_already_done_is_marked_done_in_the_roadmap_table() -> None:
    diagnosis, ja = view(sample(), "ja")
    assert diagnosis.plan.task("ma_setup").status == "done"  # MA is in use
    after = {task["title"]: task["depends_on"] for task in ja["roadmap"]["tasks"]}
    assert after["部門横断のデータアクセス権限の設計"] == ["顧客マスタの一元化（実施済み）"]
    assert "MAツールの導入・初期設定（実施済み）" in after["リードスコアリングの設計"]
    assert "MAツールの導入・初期設定" not in after["リードスコアリングの設計"]


def test_the_baton_meeting_starts_after_the_agreements_it_reviews() -> None:
    """The seeds: the weekly baton meeting is where the hand-off criteria, once written, are checked and revised.
    The plan starts it when the hand-off agreement (after both definitions) is done, and the text says so."""
    diagnosis, en = view(sample(), "en")
    plan = diagnosis.plan
    baton = plan.task("baton_meeting")
    agreed = [plan.task(i) for i in ("mql_definition", "sql_definition", "handoff_rules")]
    assert all(t.end_week is not None and t.end_week <= baton.start_week for t in agreed)
    line = next(line for line in en["first_90_days"]["rhythm"] if line.startswith("Baton meeting"))
    assert "where the MQL and SQL definitions are agreed" not in line
    start = day(week_date(plan.start, baton.start_week), "en", plan.start)
    handoff_due = day(last_day(plan.start, plan.task("handoff_rules").end_week), "en", plan.start)
    assert (
        f"from {start}" in line
        and f"once “Agree the hand-off rules and recycling conditions” is done by {handoff_due}" in line
    )
    assert "checks each week's hand-offs against the agreed MQL and SQL criteria" in line
    _, ja = view(sample(), "ja")
    line = next(line for line in ja["first_90_days"]["rhythm"] if line.startswith("バトンミーティング"))
    assert "定義を合意する場" not in line and "合意済みのMQL・SQL基準" in line
    assert "「引き渡しルールとリサイクル条件の合意」を受けて" in line


def test_a_re_assessment_claims_no_pilot_measurement_or_rollout_from_answers() -> None:
    """Round 2 had everything but the baton meeting; round 3, three months on, answers it yes. That shows the
    baton meeting in place, not a pilot, its measurement or the full rollout: no checklist item shows those."""
    everything = dict.fromkeys(ITEM_IDS, "yes")
    round_2 = run(build(**{"checklist": {**everything, "org.baton_meeting": "no"}}))
    round_3 = run(build(**{"checklist": everything}))
    since = compare(round_2, round_3)
    assert "baton_meeting" in since.tasks_completed
    assert not {"pilot", "measure_improve", "full_rollout"} & set(since.tasks_completed), since.tasks_completed
    for task_id in ("pilot", "measure_improve", "full_rollout"):
        assert round_3.plan.task(task_id).status == "pending" and round_3.plan.task(task_id).to_confirm


def test_the_scaled_pipeline_coverage_says_how_it_was_scaled() -> None:
    """The seeds: a pipeline of 3-4 times the monthly target. For a 60-day cycle the app asks 6-8 times, and says
    so beside the figure and below the table, in both languages."""
    _, ja = view(sample(), "ja")
    row = next(row for row in ja["funnel"]["rows"] if row["title"].startswith("パイプラインカバレッジ"))
    assert row["benchmark"] == "6–8倍"
    assert row["basis"] == "目安3〜4倍 × 商談期間60日（2か月分）"
    assert any("3〜4倍 × 2 = 6〜8倍" in note for note in ja["funnel"]["cycle_notes"])
    _, en = view(sample(), "en")
    row = next(row for row in en["funnel"]["rows"] if row["title"].startswith("Pipeline coverage"))
    assert row["basis"] == "3–4× for a one-month cycle, × 2 for 60 days"
    assert any("3–4 × 2 = 6–8 times" in note for note in en["funnel"]["cycle_notes"])
    unscaled = [row for row in ja["funnel"]["rows"] if not row["title"].startswith("パイプラインカバレッジ")]
    assert all(row["basis"] == "" for row in unscaled)


def test_a_japanese_note_in_the_english_document_is_labelled_as_written() -> None:
    comments = {"org.mql_definition": "営業とマーケで定義が一致していない", "tools.sfa_plan": "Salesforce vs HubSpot"}
    _, en = view(sample(comments=comments), "en")
    rows = {row["comment"]: row for axis in en["checklist"] for row in axis["items"] if row["comment"]}
    assert rows["営業とマーケで定義が一致していない"]["comment_language"] == "Japanese"
    assert rows["営業とマーケで定義が一致していない"]["comment_lang"] == "ja"
    assert rows["Salesforce vs HubSpot"]["comment_language"] == ""  # Latin letters alone: not labelled
    _, ja = view(sample(comments=comments), "ja")
    assert all(row["comment_language"] == "" for axis in ja["checklist"] for row in axis["items"])
