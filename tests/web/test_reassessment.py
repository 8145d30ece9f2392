"""Re-assessment in self-service: a manager keeps the answers as a baseline (from the results page, or by
importing an earlier file) and sees what changed since, on the results page; the file carries the baseline."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from assessment.web.models import SelfAssessment, db
from tests.web import (
    ROOT,
    SAMPLE_PATH,
    count_rows,
    csrf_token,
    fetch_csrf,
    post_page,
    start,
    stored,
    text,
    token_of,
    translate,
    visible_text,
)

ORGANIZATION = ("exec_sponsorship", "marketing_owner", "mql_definition", "sql_definition", "kpis_defined")


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the reader's today (READINESS_TIMEZONE)


FUNNEL = {"leads": "1000", "mqls": "150", "sqls": "60", "opportunities": "50", "wins": "10",
          "lead_response_hours": "48"}  # fmt: skip


def set_funnel(client: FlaskClient, base: str, **changes: str) -> None:
    """Save the funnel page (every figure: a page save writes all its fields) with ``changes``."""
    figures = {**FUNNEL, **changes}
    reply = post_page(client, f"{base}/funnel", {f"survey__funnel__{k}": v for k, v in figures.items()})
    assert reply.status_code in (200, 302)


def answered(client: FlaskClient) -> str:
    """A self-assessment with the organisation statements answered 'no' and a funnel: its base URL."""
    base = start(client)
    post_page(client, f"{base}/checklist-organization", {f"checklist__org__{i}": "no" for i in ORGANIZATION})
    set_funnel(client, base)
    return base


def start_reassessment(client: FlaskClient, base: str) -> TestResponse:
    confirm = client.get(f"{base}/reassess")
    assert confirm.status_code == 200
    return client.post(f"{base}/reassess", data={"csrf_token": csrf_token(confirm)})


def since_section(page: TestResponse) -> str:
    match = re.search(r'<section class="since" id="since-last".*?</section>', text(page), re.S)
    assert match, "no since-last section on the page"
    return match.group(0)


def test_the_results_page_offers_a_re_assessment_and_confirms_before_starting(app: Flask, client: FlaskClient) -> None:
    base = answered(client)
    results = client.get(f"{base}/results")
    assert f'href="{base}/reassess"' in text(results)
    assert translate(app, "Start a re-assessment") == "再診断を始める" in visible_text(results)
    assert 'id="since-last"' not in text(results)

    confirm = client.get(f"{base}/reassess")  # a page that says what happens; a GET changes nothing
    shown = visible_text(confirm)
    assert translate(app, "Keep today's answers as the baseline and start") in shown
    assert f"{today().year}年{today().month}月{today().day}日" in shown
    assert stored(app, token_of(base)).baseline is None

    assert client.post(f"{base}/reassess").status_code == 400  # no CSRF token: refused, nothing kept
    assert stored(app, token_of(base)).baseline is None

    reply = client.post(f"{base}/reassess", data={"csrf_token": csrf_token(confirm)})
    assert reply.status_code == 302 and reply.location.endswith(f"{base}/review")
    row = stored(app, token_of(base))
    assert row.baseline == row.document and row.baseline_on == today()
    assert "再診断を始めました" in visible_text(client.get(reply.location))  # said where the manager lands


def test_a_changed_answer_and_figure_show_on_the_results_page_since_the_baseline(
    app: Flask, client: FlaskClient
) -> None:
    base = answered(client)
    start_reassessment(client, base)
    section = since_section(client.get(f"{base}/results"))
    day = today()
    assert f"前回（{day.year}年{day.month}月{day.day}日）からの変化" in visible_text(section)
    assert 'id="nothing-changed"' in section  # nothing moved yet, and it says so

    post_page(client, f"{base}/checklist-organization", {"checklist__org__mql_definition": "yes"})
    set_funnel(client, base, leads="1200", lead_response_hours="4")
    section = since_section(client.get(f"{base}/results"))
    shown = visible_text(section)
    assert 'id="nothing-changed"' not in section
    # the statement that moved: words and a mark, not colour alone
    assert re.search(r"▲\s*改善\s*\d+\.\s*MQLの定義.*?いいえ → はい", shown), shown  # numbered as in the results
    # the organisation axis went up: 1 of 5 statements answered yes
    assert re.search(r"組織 \d+ \d+ \+\d+", shown)
    # funnel KPIs before and after, each with the change and its verdict in words
    assert "月間リード数（件） 1,000件 1,200件 +200件 ▲ 改善" in shown
    assert "MQLへの初回対応時間 48時間 4時間 −44時間 ▲ 改善" in shown  # shorter is better
    assert "商談化率（MQL→SQL） 40% 40% ±0 = 変化なし" in shown
    # MQL rate 15 % -> 12.5 %: inside its 10-25 % range both times, neither better nor worse
    assert "MQL化率（リード→MQL） 15% 12.5% −2.5ポイント ↔ 目安の範囲内で変動" in shown

    english = visible_text(since_section(client.get(f"{base}/results?lang=en")))
    assert f"Since the earlier diagnosis ({day.day} {day:%B} {day.year})" in english
    assert "New leads per month 1,000 1,200 +200 ▲ Improved" in english


def test_removing_the_baseline_is_confirmed_and_keeps_the_answers(app: Flask, client: FlaskClient) -> None:
    base = answered(client)
    start_reassessment(client, base)
    post_page(client, f"{base}/checklist-organization", {"checklist__org__mql_definition": "yes"})
    results = text(client.get(f"{base}/results"))
    assert f'href="{base}/baseline/remove"' in results
    confirm = client.get(f"{base}/baseline/remove")
    assert translate(app, "The baseline cannot be brought back here.") in visible_text(confirm)
    assert stored(app, token_of(base)).baseline is not None
    assert client.post(f"{base}/baseline/remove").status_code == 400  # CSRF
    reply = client.post(f"{base}/baseline/remove", data={"csrf_token": csrf_token(confirm)})
    assert reply.status_code == 302
    row = stored(app, token_of(base))
    assert row.baseline is None and row.baseline_on is None
    assert row.document["checklist"]["org.mql_definition"] == "yes"
    assert 'id="since-last"' not in text(client.get(f"{base}/results"))
    assert client.get(f"{base}/baseline/remove").status_code == 302  # nothing to remove: back to the results


def test_a_survey_only_link_cannot_start_a_re_assessment(app_nocsrf: Flask, nocsrf_client: FlaskClient) -> None:
    app = app_nocsrf
    base = start(nocsrf_client)
    with app.app_context():
        row = db.session.execute(db.select(SelfAssessment).filter_by(token=token_of(base))).scalar_one()
        row.survey_only = True
        db.session.commit()
    assert nocsrf_client.get(f"{base}/reassess").status_code == 404
    assert nocsrf_client.post(f"{base}/reassess").status_code == 404
    assert stored(app, token_of(base)).baseline is None


# --- the file carries the baseline ------------------------------------------------------------------------


def upload(client: FlaskClient, data: bytes, use: str | None = None, name: str = "a.yaml") -> TestResponse:
    form: dict[str, object] = {"csrf_token": fetch_csrf(client, "/import"),
                               "file": FileStorage(io.BytesIO(data), filename=name)}  # fmt: skip
    if use is not None:
        form["use"] = use
    boundary, body = encode_multipart(form)  # type: ignore[arg-type]
    return client.post("/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_carries_the_baseline_and_an_import_keeps_the_comparison(
    app: Flask, client: FlaskClient, fmt: str
) -> None:
    base = answered(client)
    start_reassessment(client, base)
    set_funnel(client, base, leads="1200")
    exported = client.get(f"{base}/assessment.{fmt}").data
    document = yaml.safe_load(exported) if fmt == "yaml" else json.loads(exported)
    assert document["date"] == today().isoformat()  # the day the answers stood so
    assert document["baseline"]["date"] == today().isoformat()
    assert document["baseline"]["survey"]["funnel"]["leads"] == 1000 and document["survey"]["funnel"]["leads"] == 1200
    assert "baseline" not in document["baseline"]

    reply = upload(client, exported, name=f"a.{fmt}")  # continue (the default): the baseline comes along
    assert reply.status_code == 302
    new_base = reply.location.rsplit("/", 1)[0]
    assert token_of(new_base) != token_of(base)
    row = stored(app, token_of(new_base))
    assert row.baseline_on == today() and row.baseline is not None and "date" not in row.document
    assert client.get(f"{new_base}/assessment.{fmt}").data == exported  # export -> import -> export: the same
    assert visible_text(since_section(client.get(f"{new_base}/results"))) == visible_text(
        since_section(client.get(f"{base}/results"))
    )


def test_importing_an_earlier_file_as_the_baseline_of_a_re_assessment(app: Flask, client: FlaskClient) -> None:
    earlier = yaml.safe_load(SAMPLE_PATH.read_text(encoding="utf-8"))
    earlier["date"] = "2025-11-04"
    raw = yaml.safe_dump(earlier, allow_unicode=True).encode()
    page = text(client.get("/import"))
    assert 'name="use" value="reassess"' in page and 'name="use" value="continue" checked' in page

    reply = upload(client, raw, use="reassess")
    assert reply.status_code == 302
    token = token_of(reply.location)
    row = stored(app, token)
    assert row.baseline == row.document  # the link starts with the file's answers, compared with the file
    assert row.baseline_on == date(2025, 11, 4)  # the file's own date
    assert "2025年11月4日" in visible_text(client.get(reply.location))
    assert "前回（2025年11月4日）からの変化" in visible_text(since_section(client.get(f"/a/{token}/results")))

    undated = SAMPLE_PATH.read_bytes()  # no date in the file: the import day
    reply = upload(client, undated, use="reassess")
    assert stored(app, token_of(reply.location)).baseline_on == today()

    reply = upload(client, undated)  # continue, a file without a baseline: nothing to compare with
    assert stored(app, token_of(reply.location)).baseline is None
    assert count_rows(app) == 3


def test_re_assessing_a_file_that_carries_a_baseline_compares_with_the_file_itself(
    app: Flask, client: FlaskClient
) -> None:
    later = yaml.safe_load(SAMPLE_PATH.read_text(encoding="utf-8"))
    older = {**later, "date": "2025-05-01", "checklist": {}}
    later = {**later, "date": "2025-11-04", "baseline": older}
    reply = upload(client, yaml.safe_dump(later, allow_unicode=True).encode(), use="reassess")
    row = stored(app, token_of(reply.location))
    assert row.baseline_on == date(2025, 11, 4) and row.baseline == row.document
    assert "baseline" not in row.baseline


NOT_ASSESSMENTS = {
    "a list": (b"- 1\n- 2\n", "「キー: 値」の形式で書いてください"),
    "text": (b"just a note\n", "「キー: 値」の形式で書いてください"),
    "another format": (b"name: x\nrows: []\n", "name: 「name」は使えない項目名です"),
    "too big": (b"# " + b"x" * 1_000_000 + b"\nversion: 1\n", "ファイルが大きすぎます"),
    "nested deep": (b"checklist: " + b"[" * 40 + b"]" * 40 + b"\n", "入れ子"),
    "a baseline inside a baseline": (
        b"version: 1\nbaseline:\n  version: 1\n  baseline: {version: 1}\n",
        "baseline.baseline: 前回の診断の中に、さらに前の診断を含めることはできません",
    ),
    "a baseline that is not an assessment": (
        b"version: 1\nbaseline: [1, 2]\n",
        "baseline: 「キー: 値」の形式で書いてください",
    ),
    "a bad answer in the baseline": (
        b"version: 1\nbaseline: {checklist: {org.mql_definition: maybe}}\n",
        "baseline.checklist.org.mql_definition: 'maybe' は yes, partial, no, unknown のいずれでもありません",
    ),
}


@pytest.mark.parametrize("case", list(NOT_ASSESSMENTS))
@pytest.mark.parametrize("use", ["reassess", "continue"])
def test_a_file_that_is_not_an_assessment_is_refused_naming_the_field_and_saves_nothing(
    app: Flask, client: FlaskClient, case: str, use: str
) -> None:
    raw, expected = NOT_ASSESSMENTS[case]
    response = upload(client, raw, use=use)
    assert response.status_code == 400
    body = text(response)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', body, re.S)
    assert summary, body[:500]
    shown = visible_text(summary.group(1))
    assert expected in shown, shown
    heading = (
        "The earlier diagnosis file has problems (nothing was saved):"
        if use == "reassess"
        else "The file has problems:"
    )
    assert translate(app, heading) in shown
    assert "Traceback" not in body
    assert count_rows(app) == 0
    assert f'value="{use}" checked' in body  # the choice is kept for the next try


def test_an_unknown_choice_of_use_is_refused(app: Flask, client: FlaskClient) -> None:
    response = upload(client, SAMPLE_PATH.read_bytes(), use="merge")
    assert response.status_code == 400
    assert translate(app, "Choose whether to continue the file's answers or to re-assess against them.") in text(
        response
    )
    assert count_rows(app) == 0


# Run in a process of its own, as ``flask db upgrade`` is: Alembic's env.py reconfigures logging.
MIGRATE = """
import json, sqlite3, sys
from flask_migrate import upgrade
from wsgi import app
with app.app_context():
    upgrade(revision="57c66245683b")  # the head before the baseline
    with sqlite3.connect(sys.argv[1]) as connection:
        connection.execute(
            "INSERT INTO self_assessments (token, document, drafts, revision, survey_only, created_at, updated_at)"
            " VALUES (?, ?, '{}', 4, 0, '2026-01-05 00:00:00', '2026-01-05 00:00:00')",
            ("t" * 43, json.dumps({"version": 1, "client": {"name": "既存株式会社"}}, ensure_ascii=False)),
        )
    upgrade()
"""


@pytest.mark.sqlite_only  # an old schema seeded through sqlite3 (PostgreSQL: test_postgres.py)
def test_the_migration_adds_the_baseline_to_an_existing_database(tmp_path: Path) -> None:
    """``flask db upgrade`` on a database of the previous release keeps its rows and adds the two columns."""
    database = tmp_path / "old.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_") and k != "SECRET_KEY"}
    env.update(READINESS_ENV="development", DATABASE_URL=f"sqlite:///{database}", READINESS_CACHE_DIR=str(tmp_path),
               READINESS_INSTANCE_DIR=str(tmp_path / "instance"), PYTHONPATH=str(ROOT))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", MIGRATE, str(database)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database) as connection:
        columns = {row[1]: row for row in connection.execute("PRAGMA table_info(self_assessments)")}
        assert columns["baseline"][3] == 0 and columns["baseline_on"][3] == 0  # nullable
        row = connection.execute("SELECT document, revision, baseline, baseline_on FROM self_assessments").fetchone()
    assert json.loads(row[0])["client"]["name"] == "既存株式会社" and row[1:] == (4, None, None)


def test_continuing_a_file_whose_baseline_has_no_date_dates_it_today(app: Flask, client: FlaskClient) -> None:
    document = yaml.safe_load(SAMPLE_PATH.read_text(encoding="utf-8"))
    document["baseline"] = {"checklist": {"org.mql_definition": "no"}}
    reply = upload(client, yaml.safe_dump(document, allow_unicode=True).encode())
    row = stored(app, token_of(reply.location))
    assert row.baseline_on == today() and row.baseline is not None
    assert row.baseline["checklist"] == {"org.mql_definition": "no"} and "baseline" not in row.document
    shown = visible_text(client.get(reply.location))
    assert f"前回の診断（{today().year}年{today().month}月{today().day}日）" in shown  # the import says so


def test_a_baseline_the_questionnaire_no_longer_reads_is_said_and_kept(app: Flask, client: FlaskClient) -> None:
    """A stored baseline naming a statement the content no longer has: the results say why there is no
    comparison and offer to remove it; the export still carries it, nothing is lost."""
    base = answered(client)
    with app.app_context():
        row = db.session.execute(db.select(SelfAssessment).filter_by(token=token_of(base))).scalar_one()
        row.baseline, row.baseline_on = {"version": 1, "checklist": {"org.retired_item": "yes"}}, date(2025, 11, 4)
        db.session.commit()
    results = client.get(f"{base}/results")
    assert results.status_code == 200
    shown = visible_text(results)
    assert "前回の診断（2025年11月4日）とは比較できません" in shown and "org.retired_item" in shown
    assert f'href="{base}/baseline/remove"' in text(results)
    exported = yaml.safe_load(client.get(f"{base}/assessment.yaml").data)
    assert exported["baseline"] == {"version": 1, "date": "2025-11-04", "checklist": {"org.retired_item": "yes"}}
