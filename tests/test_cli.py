"""The ``readiness`` command, run in-process: diagnose, roadmap and check-content; exit 2 on bad input."""

from __future__ import annotations

import csv
import io
import json
import math
import pickle
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment.content.catalogue import FactSpec
from assessment.content.model import Content

Run = Callable[[Sequence[Any]], tuple[int, str, str]]

JA_HEADINGS = (
    "== THE MODEL 導入準備度診断 ==",
    "[準備度スコア（100点満点）]",
    "[未整備の項目（いいえ・一部・要確認）]",
    "[想定される失敗リスク]",
    "[組織フェーズ]",
    "[ファネルとベンチマーク]",
    "[導入ロードマップ]",
)
EN_HEADINGS = (
    "== THE MODEL readiness diagnosis ==",
    "[Readiness scores (out of 100)]",
    "[Gaps (no, partly, to confirm)]",
    "[Failure risks]",
    "[Organisation phase]",
    "[Funnel against benchmarks]",
    "[Implementation roadmap]",
)


def _strict_json(text: str) -> Any:
    """Parse JSON as RFC 8259 has it: NaN and Infinity are not JSON."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    return json.loads(text, parse_constant=refuse)


def _sample(sample_path: Path) -> dict[str, Any]:
    data = yaml.load(sample_path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # all scalars as text
    assert isinstance(data, dict)
    return data


def _task_ids(content_dir: Path) -> list[str]:
    data = yaml.safe_load((content_dir / "tasks.yaml").read_text(encoding="utf-8"))
    return [str(task["id"]) for task in data["tasks"]]


def _task_dependencies(content_dir: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load((content_dir / "tasks.yaml").read_text(encoding="utf-8"))
    return [(str(dep), str(task["id"])) for task in data["tasks"] for dep in task.get("depends_on", [])]


def _problem_lines(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines() if line.startswith("  ")]


# --- diagnose: text ------------------------------------------------------------------------------------


def test_diagnose_sample_text(run_cli: Run, sample_path: Path) -> None:
    code, out, err = run_cli(["diagnose", sample_path])
    assert code == 0, err
    assert err == ""
    assert "株式会社サンプル" in out
    assert "対象: 株式会社サンプル（150名）" in out
    for heading in JA_HEADINGS:
        assert heading in out
    positions = [out.index(heading) for heading in JA_HEADINGS]
    assert positions == sorted(positions)


def test_diagnose_sample_text_in_english(run_cli: Run, sample_path: Path) -> None:
    code, out, err = run_cli(["diagnose", sample_path, "--lang", "en"])
    assert code == 0, err
    assert "Client: 株式会社サンプル (150 employees)" in out
    for heading in EN_HEADINGS:
        assert heading in out
    for heading in JA_HEADINGS:
        assert heading not in out
    assert "Answered 'don't know' or left blank, to confirm: 2 of the statements" in out


def test_diagnose_text_lists_the_gaps_and_the_warnings(run_cli: Run, sample_path: Path) -> None:
    code, out, _ = run_cli(["diagnose", sample_path])
    assert code == 0
    gaps = out.split("[未整備の項目（いいえ・一部・要確認）]", 1)[1].split("\n\n", 1)[0]
    gap_lines = [line for line in gaps.splitlines() if line.startswith("  - ")]
    answers = _sample(sample_path)["checklist"]
    assert len(gap_lines) == sum(1 for answer in answers.values() if answer != "yes")
    assert sum("(要確認)" in line for line in gap_lines) == 2
    assert "[注意]" in out
    assert "「わからない」または未回答の設問が2問あります（要確認）" in out


# --- diagnose: json ------------------------------------------------------------------------------------


@pytest.fixture
def sample_json(run_cli: Run, sample_path: Path) -> dict[str, Any]:
    code, out, err = run_cli(["diagnose", sample_path, "--format", "json", "--lang", "en"])
    assert code == 0, err
    data = _strict_json(out)
    assert isinstance(data, dict)
    return data


def test_json_scores(sample_json: dict[str, Any]) -> None:
    scores = sample_json["scores"]
    assert set(scores) == {"organization", "tools", "data", "overall"}
    for value in scores.values():
        assert isinstance(value, int | float)
        assert 0 <= value <= 100
    parts = [scores["organization"], scores["tools"], scores["data"]]
    assert min(parts) <= scores["overall"] <= max(parts)


def test_json_items(sample_json: dict[str, Any], sample_path: Path, content: Content) -> None:
    items = sample_json["items"]
    assert len(items) == 20
    assert [item["id"] for item in items] == [item.id for item in content.checklist.items]
    answers = _sample(sample_path)["checklist"]
    for item in items:
        assert {"id", "axis", "answer"} <= set(item)
        assert item["axis"] in ("organization", "tools", "data")
        assert item["answer"] == answers[item["id"]]
    by_id = {item["id"]: item for item in items}
    assert by_id["org.mql_definition"]["comment"] == "営業とマーケで定義が一致していない"
    assert by_id["tools.tool_owners"]["to_confirm"] is True
    assert by_id["org.exec_sponsorship"]["gap"] is False


def test_json_failure_patterns(sample_json: dict[str, Any], content_dir: Path) -> None:
    patterns = sample_json["failure_patterns"]
    assert patterns, "the sample raises failure patterns"
    rule_ids = {str(rule["id"]) for rule in yaml.safe_load((content_dir / "rules.yaml").read_text())["rules"]}
    rank = {"high": 0, "medium": 1, "low": 2}
    for pattern in patterns:
        assert pattern["id"] in rule_ids
        assert pattern["severity"] in rank
        assert isinstance(pattern["evidence"], list)
        assert pattern["evidence"]
        for observation in pattern["evidence"]:
            assert {"fact", "value", "op", "expected", "matched"} <= set(observation)
        assert isinstance(pattern["countermeasure"], str)
        assert pattern["countermeasure"].strip()
    severities = [rank[p["severity"]] for p in patterns]
    assert severities == sorted(severities)
    ids = [p["id"] for p in patterns]
    assert len(ids) == len(set(ids))
    assert {"silo", "lead_quality"} <= set(ids)


def test_json_phase(sample_json: dict[str, Any]) -> None:
    phase = sample_json["phase"]
    assert phase["current"] == 1
    assert phase["recommended"] == 2
    assert phase["by_size"] == 3
    assert isinstance(phase["current_title"], str)


def test_json_funnel(sample_json: dict[str, Any]) -> None:
    funnel = sample_json["funnel"]
    assert funnel["rates"]["mql_rate"] == 15.0  # 120 / 800
    assert funnel["rates"]["sql_rate"] == 33.33  # 40 / 120
    assert funnel["rates"]["win_rate"] == 17.14  # 6 / 35
    assert funnel["findings"]
    for finding in funnel["findings"]:
        assert {"metric", "value", "benchmark", "status"} <= set(finding)
        assert set(finding["benchmark"]) >= {"min", "max"}
        assert finding["status"] in (None, "below", "within", "above")
    by_metric = {f["metric"]: f for f in funnel["findings"]}
    assert by_metric["connect_rate"]["value"] == 18
    assert by_metric["connect_rate"]["status"] == "below"
    assert by_metric["mql_rate"]["status"] == "within"
    assert funnel["bottleneck"] is not None
    assert {"stage", "metric", "value", "ratio_to_benchmark"} <= set(funnel["bottleneck"])


def test_json_required_leads_worked_by_hand(sample_json: dict[str, Any], sample_path: Path) -> None:
    figures = _sample(sample_path)["survey"]["funnel"]
    target = float(figures["monthly_revenue_target"])  # 30,000,000 yen
    deal = float(figures["average_deal_size"])  # 1,200,000 yen -> 25 wins needed
    wins, leads = float(figures["wins"]), float(figures["leads"])  # 6 of 800 leads win
    by_hand = math.ceil(target / deal / (wins / leads))
    assert by_hand == 3334
    assert sample_json["funnel"]["required_leads"] == by_hand


def test_json_roadmap(sample_json: dict[str, Any], content_dir: Path) -> None:
    tasks = sample_json["roadmap"]["tasks"]
    assert sorted(task["id"] for task in tasks) == sorted(_task_ids(content_dir))
    by_id = {task["id"]: task for task in tasks}
    for task in tasks:
        assert {"id", "title", "status", "depends_on", "start_week", "end_week", "critical"} <= set(task)
        assert task["status"] in ("pending", "done")
        assert isinstance(task["critical"], bool)
        if task["status"] == "done" or task["horizon"] == "later":
            assert task["start_week"] is None
            assert task["end_week"] is None
            assert task["critical"] is False
            continue
        assert task["horizon"] == "now"
        assert task["end_week"] - task["start_week"] == task["weeks"]
        for dependency in task["depends_on"]:
            before = by_id[dependency]
            assert before["horizon"] != "later"  # nothing scheduled waits for a later phase
            if before["status"] == "pending":
                assert task["start_week"] >= before["end_week"]
    assert by_id["exec_alignment"]["status"] == "done"  # org.exec_sponsorship: yes
    assert by_id["ma_setup"]["status"] == "done"  # MA in use
    assert by_id["sfa_setup"]["status"] == "pending"
    critical = sample_json["roadmap"]["critical_path"]
    assert critical
    assert all(by_id[task_id]["critical"] for task_id in critical)
    assert by_id[critical[-1]]["end_week"] == sample_json["roadmap"]["total_weeks"]


def test_json_warnings(sample_json: dict[str, Any]) -> None:
    warnings = sample_json["warnings"]
    assert warnings == [
        {
            "path": "checklist",
            "code": "to_confirm",
            "message": "Answered 'don't know' or left blank, to confirm: 2 of the statements",
        }
    ]


def test_json_in_japanese_by_default(run_cli: Run, sample_path: Path) -> None:
    code, out, _ = run_cli(["diagnose", sample_path, "--format", "json"])
    assert code == 0
    data = _strict_json(out)
    assert data["lang"] == "ja"
    assert data["client"]["name"] == "株式会社サンプル"
    assert "株式会社サンプル" in out  # not \\u-escaped


def test_json_output_is_strict_json_when_a_figure_is_zero(run_cli: Run, tmp_path: Path) -> None:
    # A zero churn rate is the best possible value; it must not turn into Infinity in the JSON.
    path = tmp_path / "zero-churn.yaml"
    path.write_text("survey:\n  funnel:\n    monthly_churn_rate: 0\n", encoding="utf-8")
    code, out, err = run_cli(["diagnose", path, "--format", "json"])
    assert code == 0, err
    data = _strict_json(out)
    assert data["funnel"]["rates"]["monthly_churn_rate"] == 0


def test_revenue_formula_keeps_a_zero_win_rate_and_a_tiny_conversion(run_cli: Run, tmp_path: Path) -> None:
    """0 wins is a figure (0%), not a missing one (?); 0.02% conversion must not print as 0%."""
    path = tmp_path / "huge-volume.yaml"
    funnel = "leads: 2000000\n    opportunities: 400\n    wins: 0\n    average_deal_size: 500000"
    path.write_text(f"survey:\n  funnel:\n    {funnel}\n", encoding="utf-8")
    code, out, err = run_cli(["diagnose", path])
    assert code == 0, err
    assert "リード 2,000,000 × リード→商談 0.02% × 受注率 0% × 平均単価 50万円 = 0円/月" in out


def test_diagnose_uses_the_session_cache_folder(run_cli: Run, sample_path: Path, readiness_cache_dir: Path) -> None:
    code, _, _ = run_cli(["diagnose", sample_path])
    assert code == 0
    assert list(readiness_cache_dir.glob("content-*.pickle"))


# --- diagnose: bad input -------------------------------------------------------------------------------


def test_bad_file_exit_2_with_every_problem(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "checklist:\n"
        "  org.mql_definition: maybe\n"
        "  org.mql_defintion: yes\n"
        "survey:\n"
        "  funnel:\n"
        "    connect_rate: 150\n"
        "    leads: -1\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(["diagnose", path, "--lang", "en"])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.splitlines()[0] == f"{path} has problems:"
    assert _problem_lines(err) == [
        "checklist.org.mql_defintion: 'org.mql_defintion' is not a checklist item (did you mean 'org.mql_definition'?)",
        "checklist.org.mql_definition: 'maybe' is not one of yes, partial, no, unknown",
        "survey.funnel.connect_rate: 150 is above 100",
        "survey.funnel.leads: -1 is below 0",
    ]


def test_bad_file_in_japanese_keeps_the_paths(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("checklist:\n  org.mql_definition: maybe\nsurvey:\n  funnel:\n    connect_rate: 150\n")
    code, _, err = run_cli(["diagnose", path])
    assert code == 2
    assert "Traceback" not in err
    assert err.splitlines()[0] == f"{path} に問題があります:"
    lines = _problem_lines(err)
    assert len(lines) == 2
    assert lines[0].startswith("checklist.org.mql_definition: ")
    assert lines[1].startswith("survey.funnel.connect_rate: ")


@pytest.mark.parametrize("command", ["diagnose", "roadmap"])
def test_missing_file_exit_2(command: str, run_cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, out, err = run_cli([command, missing, "--lang", "en"])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert str(missing) in err
    assert "cannot read the file" in err


def test_directory_instead_of_file_exit_2(run_cli: Run, tmp_path: Path) -> None:
    code, _, err = run_cli(["diagnose", tmp_path])
    assert code == 2
    assert str(tmp_path) in err


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02", "the file holds binary data, not text"),
        (b"client: \xff\n", "the file is not UTF-8 text (byte 8)"),
        (b"- a\n- b\n", "must be a mapping of keys to values"),
        (b"a: [1, 2", "this is not valid YAML or JSON"),
    ],
)
def test_unreadable_file_exit_2(raw: bytes, expected: str, run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "input.yaml"
    path.write_bytes(raw)
    code, out, err = run_cli(["diagnose", path, "--lang", "en"])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert expected in err


def test_file_over_one_megabyte_exit_2(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"notes:\n  a: " + b"x" * 1_100_000 + b"\n")
    code, _, err = run_cli(["diagnose", path, "--lang", "en"])
    assert code == 2
    assert "the file is too large" in err


def test_integer_too_big_for_a_float_exit_2_without_traceback(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("survey:\n  funnel:\n    leads: 1" + "0" * 400 + "\n", encoding="utf-8")
    code, _, err = run_cli(["diagnose", path, "--lang", "en"])
    assert code == 2
    assert "survey.funnel.leads" in err


def test_json_integer_with_5000_digits_exit_2_without_traceback(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"survey": {"funnel": {"leads": 1' + "0" * 5000 + "}}}", encoding="utf-8")
    code, _, err = run_cli(["diagnose", path, "--lang", "en"])
    assert code == 2
    assert err.strip()


def test_usage_error_exit_2(run_cli: Run) -> None:
    code, _, err = run_cli(["diagnose"])
    assert code == 2
    assert "usage: readiness" in err


# --- roadmap -------------------------------------------------------------------------------------------


def test_roadmap_csv(run_cli: Run, sample_path: Path, content_dir: Path) -> None:
    code, out, err = run_cli(["roadmap", sample_path, "--format", "csv", "--lang", "en"])
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    header, body = rows[0], rows[1:]
    assert header == [
        "id", "title", "owner", "lane", "weeks", "status", "horizon", "phase", "start_week", "end_week", "critical",
        "depends_on", "establishes", "addresses", "start_date", "end_date", "effort_days", "outside_support",
    ]  # fmt: skip
    assert all(len(row) == len(header) for row in body)
    ids = [row[0] for row in body]
    assert sorted(ids) == sorted(_task_ids(content_dir))
    known = set(ids)
    for row in map(lambda r: dict(zip(header, r, strict=True)), body):
        assert row["status"] in ("pending", "done")
        assert row["critical"] in ("yes", "no")
        assert row["lane"] in ("organization", "tools", "data")
        assert int(row["weeks"]) >= 1
        assert set(row["depends_on"].split()) <= known
        if row["horizon"] == "now":
            assert int(row["end_week"]) - int(row["start_week"]) == int(row["weeks"])
        else:
            assert row["start_week"] == row["end_week"] == ""
            assert row["horizon"] == ("later" if row["status"] == "pending" else "")


def test_roadmap_csv_quotes_titles_with_commas(run_cli: Run, sample_path: Path) -> None:
    code, out, _ = run_cli(["roadmap", sample_path, "--format", "csv", "--lang", "en"])
    assert code == 0
    titles = {row[0]: row[1] for row in csv.reader(io.StringIO(out))}
    assert titles["activity_logging"] == "Rules for logging emails, calls and meetings"


def test_roadmap_mermaid(run_cli: Run, sample_path: Path, content_dir: Path) -> None:
    code, out, err = run_cli(["roadmap", sample_path, "--format", "mermaid"])
    assert code == 0, err
    assert "gantt" in out
    assert "flowchart TD" in out
    assert out.count("```mermaid") == 2
    for dependency, task in _task_dependencies(content_dir):
        assert f"    {dependency} --> {task}" in out
    for task_id in _task_ids(content_dir):
        assert f'    {task_id}["' in out


def test_roadmap_mermaid_parts(run_cli: Run, sample_path: Path) -> None:
    code, gantt, _ = run_cli(["roadmap", sample_path, "--format", "mermaid-gantt", "--lang", "en"])
    assert code == 0
    assert gantt.startswith("gantt\n")
    assert "    title THE MODEL implementation roadmap" in gantt
    code, flowchart, _ = run_cli(["roadmap", sample_path, "--format", "mermaid-flowchart"])
    assert code == 0
    assert flowchart.startswith("flowchart TD\n")


def test_roadmap_json(run_cli: Run, sample_path: Path, content_dir: Path) -> None:
    code, out, _ = run_cli(["roadmap", sample_path])
    assert code == 0
    data = _strict_json(out)
    assert set(data) >= {"total_weeks", "critical_path", "tasks"}
    assert sorted(t["id"] for t in data["tasks"]) == sorted(_task_ids(content_dir))


def test_roadmap_of_a_bad_file_exit_2(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 2\n")
    code, out, err = run_cli(["roadmap", path, "--format", "csv", "--lang", "en"])
    assert code == 2
    assert out == ""
    assert _problem_lines(err) == ["version: version 2 is not supported; use 1"]


# --- check-content -------------------------------------------------------------------------------------


def test_check_content_bundled(run_cli: Run, content: Content) -> None:
    code, out, err = run_cli(["check-content", "--lang", "en"])
    assert code == 0, err
    assert out.strip() == (
        f"Content is valid (8 files, {len(content.checklist.items)} items, {len(content.rules)} rules,"
        f" {len(content.tasks)} tasks)"
    )


def test_check_content_bundled_by_path(run_cli: Run, content_dir: Path) -> None:
    code, out, _ = run_cli(["check-content", content_dir])
    assert code == 0
    assert out.startswith("コンテンツに問題はありません")


@pytest.fixture
def broken_content(tmp_path: Path, content_dir: Path) -> Callable[[str, str, str], Path]:
    """Copy the content folder and replace the first ``old`` by ``new`` in one file (rules: the silo rule)."""

    def make(file: str, old: str, new: str) -> Path:
        folder = tmp_path / "questionnaires"
        if not folder.exists():
            shutil.copytree(content_dir, folder)
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} should appear in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder

    return make


BROKEN = {
    "unknown-establishes": (
        "tasks.yaml",
        "establishes: [org.kpis_defined]",
        "establishes: [org.kpis_defind]",
        ["tasks.yaml", "tasks[kpi_design]", "establishes", "org.kpis_defind"],
    ),
    "bad-operator": (
        "rules.yaml",
        "{fact: count.dedicated_departments, ge: 2}",
        "{fact: count.dedicated_departments, gte: 2}",
        ["rules.yaml", "rules[silo]", "when", "gte"],
    ),
    "duplicate-rule-id": (
        "rules.yaml",
        "  - id: lead_quality\n",
        "  - id: silo\n",
        ["rules.yaml", "rules[silo]", "id", "'silo' is used 2 times"],
    ),
    "dangling-depends-on": (
        "tasks.yaml",
        "depends_on: [marketing_owner, kpi_design]",
        "depends_on: [marketing_owner, kpi_desgn]",
        ["tasks.yaml", "tasks[mql_definition]", "depends_on", "kpi_desgn"],
    ),
    "unknown-fact": (
        "rules.yaml",
        "{fact: count.dedicated_departments, ge: 2}",
        "{fact: count.dedicated_departmnts, ge: 2}",
        [
            "rules.yaml",
            "rules[silo]",
            "when",
            "count.dedicated_departmnts",
            "did you mean 'count.dedicated_departments'",
        ],
    ),
    "unknown-covering-owner": (
        "survey.yaml",
        "covered_by: field_sales}\n  - {id: field_sales",
        "covered_by: feild_sales}\n  - {id: field_sales",
        ["survey.yaml", "owners[inside_sales]", "covered_by", "feild_sales"],
    ),
    "duplicate-role": (
        "survey.yaml",
        '{id: other, title: {ja: "その他"',
        '{id: marketing, title: {ja: "その他"',
        ["survey.yaml", "other_roles[marketing]", "id", "'marketing' is used 2 times"],
    ),
    "impossible-value": (
        "rules.yaml",
        '{fact: answer.org.baton_meeting, in: ["no", unknown]}',
        "{fact: answer.org.baton_meeting, eq: maybe}",
        ["rules.yaml", "rules[silo]", "when", "'maybe'", "answer.org.baton_meeting"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_check_content_broken(case: str, broken_content, run_cli: Run) -> None:
    file, old, new, expected = BROKEN[case]
    folder = broken_content(file, old, new)
    code, out, err = run_cli(["check-content", folder, "--lang", "en"])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.splitlines()[0] == "The content has problems:"
    lines = _problem_lines(err)
    matching = [line for line in lines if all(part in line for part in expected)]
    assert matching, f"no problem line names {expected}: {lines}"
    file_name, entry, field = expected[:3]
    assert any(line.startswith(f"{file_name}: {entry}.{field}") for line in matching)


def test_check_content_bad_operator_is_one_clear_problem(broken_content, run_cli: Run) -> None:
    folder = broken_content(
        "rules.yaml", "{fact: count.dedicated_departments, ge: 2}", "{fact: count.dedicated_departments, gte: 2}"
    )
    code, _, err = run_cli(["check-content", folder, "--lang", "en"])
    assert code == 2
    # One mistake, one message: no follow-on complaints naming internal classes (Comparison, AllOf, ...).
    assert _problem_lines(err) == [
        "rules.yaml: rules[silo].when.all[0].gte: unknown operator;"
        " use one of eq, ne, lt, le, gt, ge, in, not_in, present"
    ]


def test_check_content_dependency_cycle(broken_content, run_cli: Run) -> None:
    folder = broken_content(
        "tasks.yaml",
        "    depends_on: [exec_alignment]\n    done_when:",
        "    depends_on: [tool_selection]\n    done_when:",
    )
    code, _, err = run_cli(["check-content", folder, "--lang", "en"])
    assert code == 2
    lines = _problem_lines(err)
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("tasks.yaml: tasks[")
    assert ".depends_on: dependency cycle: " in line
    cycle = line.split("dependency cycle: ", 1)[1]
    assert cycle in (
        "requirements → tool_selection → requirements",
        "tool_selection → requirements → tool_selection",
    )
    assert line.startswith(f"tasks.yaml: tasks[{cycle.split(' → ')[0]}]")


def test_check_content_several_problems_at_once(broken_content, run_cli: Run) -> None:
    broken_content("tasks.yaml", "establishes: [org.kpis_defined]", "establishes: [org.kpis_defind]")
    folder = broken_content("rules.yaml", "  - id: lead_quality\n", "  - id: silo\n")
    code, _, err = run_cli(["check-content", folder, "--lang", "en"])
    assert code == 2
    lines = _problem_lines(err)
    assert any(line.startswith("tasks.yaml: tasks[kpi_design].establishes") for line in lines)
    assert any(line.startswith("rules.yaml: rules[silo].id") for line in lines)


def test_check_content_missing_file(tmp_path: Path, content_dir: Path, run_cli: Run) -> None:
    folder = tmp_path / "questionnaires"
    shutil.copytree(content_dir, folder)
    (folder / "rules.yaml").unlink()
    code, _, err = run_cli(["check-content", folder, "--lang", "en"])
    assert code == 2
    assert "rules.yaml: cannot read the file" in err


def test_diagnose_with_broken_content_exit_2(broken_content, run_cli: Run, sample_path: Path) -> None:
    folder = broken_content("tasks.yaml", "establishes: [org.kpis_defined]", "establishes: [org.kpis_defind]")
    code, out, err = run_cli(["--content", folder, "diagnose", sample_path, "--lang", "en"])
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert "tasks.yaml: tasks[kpi_design].establishes: unknown checklist item 'org.kpis_defind'" in err


def test_corrupt_cache_means_loading_afresh(run_cli: Run, sample_path: Path, readiness_cache_dir: Path) -> None:
    code, first, _ = run_cli(["diagnose", sample_path, "--format", "json"])
    assert code == 0
    cached = list(readiness_cache_dir.glob("content-*.pickle"))
    assert cached
    for path in cached:
        path.write_bytes(b"not a pickle")
    code, second, err = run_cli(["diagnose", sample_path, "--format", "json"])
    assert code == 0, err
    assert second == first
    assert all(path.read_bytes() != b"not a pickle" for path in cached)


def test_cache_naming_a_module_that_moved_means_loading_afresh(
    run_cli: Run, sample_path: Path, readiness_cache_dir: Path
) -> None:
    """A pickle from before a module moved (here: the fact catalogue's old home) is not an error."""
    code, first, _ = run_cli(["diagnose", sample_path, "--format", "json"])
    assert code == 0
    cached = list(readiness_cache_dir.glob("content-*.pickle"))
    assert cached
    stale = pickle.dumps(FactSpec("number"), protocol=2).replace(b"assessment.content.catalogue", b"assessment.facts")
    with pytest.raises(ModuleNotFoundError):
        pickle.loads(stale)
    for path in cached:
        path.write_bytes(stale)
    code, second, err = run_cli(["diagnose", sample_path, "--format", "json"])
    assert code == 0, err
    assert second == first
    assert all(path.read_bytes() != stale for path in cached)


def test_start_puts_dates_on_the_plan(run_cli: Run, sample_path: Path) -> None:
    code, out, err = run_cli(["roadmap", sample_path, "--start", "2026-12-07", "--lang", "en"])
    assert code == 0, err
    plan = json.loads(out)
    assert plan["start_date"] == "2026-12-07"
    first = next(t for t in plan["tasks"] if t["horizon"] == "now" and t["start_week"] == 0)
    assert first["start_date"] == "2026-12-07"
    code, out, err = run_cli(["diagnose", sample_path, "--start", "2026-12-07", "--format", "json"])
    assert code == 0 and json.loads(out)["roadmap"]["start_date"] == "2026-12-07"


def test_start_without_a_date_says_which_field(run_cli: Run, sample_path: Path) -> None:
    code, out, err = run_cli(["roadmap", sample_path, "--start", "next week", "--lang", "en"])
    assert code == 2 and out == ""
    assert err.startswith("--start: 'next week' is not a date; write it YYYY-MM-DD") and "Traceback" not in err


def test_the_plan_starts_next_monday_by_default(run_cli: Run, sample_path: Path) -> None:
    from datetime import date

    from assessment.engine.roadmap.calendar import next_monday

    code, out, _ = run_cli(["roadmap", sample_path])
    assert code == 0 and json.loads(out)["start_date"] == next_monday(date.today()).isoformat()


def test_the_files_plan_start_dates_the_plan_and_start_overrides_it(
    run_cli: Run, sample_path: Path, tmp_path: Path
) -> None:
    dated = tmp_path / "dated.yaml"
    dated.write_text(sample_path.read_text(encoding="utf-8") + "\nplan:\n  start: 2027-04-05\n", encoding="utf-8")
    code, out, err = run_cli(["roadmap", dated])
    assert code == 0, err
    assert json.loads(out)["start_date"] == "2027-04-05"
    code, out, err = run_cli(["roadmap", dated, "--start", "2027-01-04"])
    assert code == 0 and json.loads(out)["start_date"] == "2027-01-04"


def test_a_plan_start_that_is_not_a_date_names_the_field(run_cli: Run, sample_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(sample_path.read_text(encoding="utf-8") + "\nplan:\n  start: '来週の月曜'\n", encoding="utf-8")
    code, out, err = run_cli(["roadmap", bad, "--lang", "en"])
    assert code == 2 and out == ""
    assert "plan.start: '来週の月曜' is not a date written YYYY-MM-DD" in err and "Traceback" not in err


def test_a_recursive_yaml_alias_is_refused_with_exit_2(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("checklist: &c {org.mql_definition: *c}\n", encoding="utf-8")
    code, out, err = run_cli(["diagnose", path, "--lang", "en"])
    assert code == 2 and out == "" and "Traceback" not in err
    assert "the alias *c refers to a collection it sits inside" in err


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  - below: 70\n", "  - below: 30\n", "checklist.yaml: bands[#2].below: must rise, between 40 and 100"),
        ("  - tone: ready\n", "  - below: 101\n    tone: ready\n",
         "checklist.yaml: bands[#4].below: the last band takes every score left: no below"),
        ("    tone: partial\n", "    tone: middling\n", "checklist.yaml: bands[#2].tone: 'middling' is not one of"),
    ],
)  # fmt: skip
def test_check_content_score_bands(broken_content, run_cli: Run, old: str, new: str, expected: str) -> None:
    """The bands a consultant edits must cover every score once, rising; a mistake names the band and field."""
    folder = broken_content("checklist.yaml", old, new)
    code, _, err = run_cli(["check-content", folder, "--lang", "en"])
    assert code == 2
    assert any(line.startswith(expected) for line in _problem_lines(err)), err
