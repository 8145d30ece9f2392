"""``readiness funnel-from-crm``, run in-process: figures with their evidence in Japanese (default) or English, JSON,
writing into an assessment file, the mapping template, and bad input (exit 2, file named, nothing written)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment.content.model import Content
from assessment.engine.assessment_file import parse_assessment
from tests.core.crm_exports import HUBSPOT_CONTACTS, case_a, case_b, csv_bytes

Run = Callable[[Sequence[Any]], tuple[int, str, str]]
Q3 = ("--period", "2026-07..2026-09")


def _files(tmp_path: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    paths = []
    for name, data in files:
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_prints_the_figures_and_their_evidence_in_japanese(run_cli: Run, tmp_path: Path) -> None:
    code, out, err = run_cli(["funnel-from-crm", *_files(tmp_path, case_a()), *Q3])
    assert (code, err) == (0, "")
    assert out.startswith("== CRMのエクスポートから計算したファネル: 2026-07〜2026-09（3か月） ==\n")
    assert "  contacts.csv: HubSpot のコンタクト（CSV, UTF-8）: 読み込んだ行 12、除いた重複 2\n" in out
    assert "  月間リード数（件）: 2件（平均 2.33。2026-07: 2、2026-08: 2、2026-09: 3）\n" in out
    excluded = "日付なし 1件、期間外 2件、重複（同じメールアドレスまたはレコードID） 2件"
    assert f"    使ったレコード 7件。除いたもの: {excluded}（contacts.csv）\n" in out
    assert "  平均受注単価（円）: 100万円\n" in out
    assert "  平均営業サイクル（商談開始から受注まで、日）: 45.3日\n" in out
    assert "  月次解約率（%）: 必要な列がどのファイルにもありません\n" in out
    assert "  2026-07         2    2    1     1     1\n" in out  # the July cohort
    assert out.endswith("使うのはこれらの集計値だけです。ファイルの行は保存も表示も書き出しもしません。\n")


def test_english_and_json(run_cli: Run, tmp_path: Path) -> None:
    files = _files(tmp_path, case_b())
    code, out, _ = run_cli(["funnel-from-crm", *files, *Q3, "--lang", "en"])
    assert code == 0 and "  Average sales cycle (days from opportunity to close): 60.5 days\n" in out
    assert "    records used: 2; left out: not won 3 (opportunities.csv)\n" in out
    code, out, _ = run_cli(["funnel-from-crm", *files, *Q3, "--json", "--lang", "en"])
    data = json.loads(out)
    assert code == 0 and data["period"] == {"first": "2026-07", "last": "2026-09", "months": 3}
    assert data["figures"]["leads"] == {
        "label": "New leads per month", "unit": "count", "value": 2, "exact": 1.6667,
        "monthly": {"2026-07": 2, "2026-08": 2, "2026-09": 1}, "used": 5,
        "excluded": {"outside_period": 2, "duplicate": 1}, "files": ["leads.csv"],
    }  # fmt: skip
    assert data["not_computed"]["mqls"]["reason"] == "no_column"
    assert [f["encoding"] for f in data["files"]] == ["cp932", "cp932"]


def test_writes_the_figures_into_survey_funnel_and_says_what_it_replaced(
    run_cli: Run, tmp_path: Path, sample_path: Path, content: Content
) -> None:
    target = tmp_path / "client.yaml"
    shutil.copy(sample_path, target)
    before = yaml.safe_load(sample_path.read_text(encoding="utf-8"))
    code, out, err = run_cli(["funnel-from-crm", *_files(tmp_path, case_a()), *Q3, "--into", target, "--lang", "en"])
    assert code == 0 and err == ""
    assert f"  {target}: survey.funnel\n    leads: 800 -> 2 (replaced)\n" in out
    assert "    average_deal_size: ¥1,200,000 -> ¥1,000,000 (replaced)\n" in out
    after = yaml.safe_load(target.read_text(encoding="utf-8"))
    funnel = after["survey"]["funnel"]
    assert (funnel["leads"], funnel["mqls"], funnel["sales_cycle_days"], funnel["lead_response_hours"]) == (
        2,
        2,
        45.3,
        7.6,
    )
    assert funnel["connect_rate"] == before["survey"]["funnel"]["connect_rate"] == 18  # not from the CRM: kept
    assert {k: v for k, v in after.items() if k != "survey"} == {k: v for k, v in before.items() if k != "survey"}
    assert target.read_text(encoding="utf-8").startswith("# サンプル診断ファイル")  # its heading comment kept
    assert parse_assessment(target.read_bytes(), content).funnel["leads"] == 2
    code, out, _ = run_cli(["funnel-from-crm", *_files(tmp_path, case_a()), *Q3, "--into", target, "--lang", "en"])
    assert code == 0 and "survey.funnel already held these figures; nothing changed" in out


def test_an_assessment_file_with_problems_is_left_untouched(run_cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "bad.yaml"
    target.write_text("version: 1\nsurvey:\n  funnel:\n    leads: many\n", encoding="utf-8")
    code, out, err = run_cli(["funnel-from-crm", *_files(tmp_path, case_a()), *Q3, "--into", target, "--lang", "en"])
    assert code == 2 and out == ""
    assert f"{target} has problems:" in err and "survey.funnel.leads: 'many' is not a number" in err
    assert target.read_text(encoding="utf-8") == "version: 1\nsurvey:\n  funnel:\n    leads: many\n"


def test_the_mapping_template_then_the_mapping(run_cli: Run, tmp_path: Path) -> None:
    headers = ("氏名", "メールアドレス", "登録日", "MQL日", "商談化日")
    rows = [("山田", "y@example.jp", "2026/07/01", "2026/07/05", "2026/07/20")]
    [export] = _files(tmp_path, [("list.csv", csv_bytes(headers, rows, "cp932"))])
    code, _, err = run_cli(["funnel-from-crm", export, *Q3])
    assert code == 2 and err.startswith(
        "list.csv: この見出しは、登録済みの HubSpot・Salesforce のエクスポートのものではありません"
    )
    template = tmp_path / "mapping.yaml"
    code, out, _ = run_cli(["funnel-from-crm", export, "--write-mapping", template])
    assert code == 0
    assert (
        out
        == f"{template} を書き出しました。空欄の列名を埋めてから、--mapping {template} を付けて"
        + "もう一度実行してください\n"
    )
    text = template.read_text(encoding="utf-8")
    assert '# list.csv の列: "氏名", "メールアドレス", "登録日", "MQL日", "商談化日"' in text
    assert "y@example.jp" not in text and "山田" not in text  # headers only, never a row
    filled = yaml.safe_load(text)
    assert filled["files"] == {"list.csv": "salesforce_leads"}  # a guess from its headers, marked to check
    filled["files"]["list.csv"] = "hubspot_contacts"
    filled["kinds"] = {
        "hubspot_contacts": {"columns": {"lead_date": "登録日", "mql_date": "MQL日", "sql_date": "商談化日"}}
    }
    template.write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    code, out, _ = run_cli(["funnel-from-crm", export, *Q3, "--mapping", template, "--json"])
    figures = json.loads(out)["figures"]
    assert code == 0 and (figures["leads"]["monthly"], figures["sqls"]["used"]) == (
        {"2026-07": 1, "2026-08": 0, "2026-09": 0},
        1,
    )
    code, _, err = run_cli(["funnel-from-crm", export, "--write-mapping", template])
    assert code == 2 and "すでにあります" in err


def test_a_deals_file_named_as_contacts_in_the_mapping(run_cli: Run, tmp_path: Path) -> None:
    files = _files(tmp_path, case_a())
    mapping = tmp_path / "m.yaml"
    mapping.write_text("files:\n  deals.csv: hubspot_contacts\n", encoding="utf-8")
    code, out, err = run_cli(["funnel-from-crm", *files, "--mapping", mapping, "--lang", "en"])
    assert (code, out) == (2, "")
    assert err == (
        "deals.csv: was given as HubSpot contacts but looks like HubSpot deals "
        "(its columns 'Deal Name', 'Deal Stage')\n"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\x00\x00", "x.csv: CSV でも Excel（.xlsx）でもないファイルです。"),
        (b"", "x.csv: ファイルが空です。"),
        (csv_bytes(("Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date"),
                   [("A", "Closed Won", "=1+1", "2026/07/01", "2026/07/02")]),
         "x.csv: 2行目、C列「Amount」: 「=1+1」は数式です。"),
    ],
)  # fmt: skip
def test_bad_files_exit_2_naming_the_file(run_cli: Run, tmp_path: Path, data: bytes, message: str) -> None:
    code, out, err = run_cli(["funnel-from-crm", *_files(tmp_path, [("x.csv", data)])])
    assert (code, out) == (2, "") and err.startswith(message)


def test_a_file_over_50_mb_is_refused_before_it_is_read(run_cli: Run, tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: no 50 MB written to the disk
    code, _, err = run_cli(["funnel-from-crm", huge, "--lang", "en"])
    assert code == 2 and err == "huge.csv: the file is larger than 50 MB; export a shorter period or fewer columns\n"


def test_a_bad_period_and_a_missing_file(run_cli: Run, tmp_path: Path) -> None:
    files = _files(tmp_path, case_a())
    code, _, err = run_cli(["funnel-from-crm", *files, "--period", "2026-09..2026-07", "--lang", "en"])
    assert code == 2 and err.startswith("--period: '2026-09..2026-07' is not a period")
    code, _, err = run_cli(["funnel-from-crm", tmp_path / "nowhere.csv", "--lang", "en"])
    assert code == 2 and "nowhere.csv: cannot read the file: No such file or directory" in err


def test_no_row_is_printed(run_cli: Run, tmp_path: Path) -> None:
    files = _files(tmp_path, case_a())
    outputs = [run_cli(["funnel-from-crm", *files, *Q3, *extra])[1] for extra in ((), ("--json",), ("--lang", "en"))]
    for row in HUBSPOT_CONTACTS:
        for value in (row[1], row[2], row[3]):  # names and emails
            assert not any(value in out for out in outputs), value


def test_check_content_validates_the_crm_headers_too(run_cli: Run, tmp_path: Path, content_dir: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(content_dir, folder)
    assert run_cli(["check-content", folder])[0] == 0
    path = folder / "crm_columns.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("records: deals", "records: deal", 1), encoding="utf-8")
    code, _, err = run_cli(["check-content", folder, "--lang", "en"])
    assert code == 2 and "crm_columns.yaml: kinds[hubspot_deals].records: Input should be 'contacts' or 'deals'" in err
