"""Export (YAML, JSON) and import: the same loader as the CLI, every problem listed with its path."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.http import parse_options_header
from werkzeug.test import TestResponse, encode_multipart

from assessment import AssessmentError, parse_assessment
from assessment.content.model import Content
from assessment.engine.assessment_file import to_document
from tests.web import (
    SAMPLE_PATH,
    count_rows,
    fetch_csrf,
    parse,
    post_page,
    start,
    stored,
    text,
    token_of,
    translate,
    visible_text,
)


def upload(client: FlaskClient, data: bytes, name: str = "assessment.yaml") -> TestResponse:
    """POST a file to /import with the page's CSRF token.

    The body is encoded in memory: for bodies over 500 kB the test client's own encoder spools to a
    temporary file it never closes (a ResourceWarning that is the test client's, not the app's).
    """
    form = {"csrf_token": fetch_csrf(client, "/import"), "file": FileStorage(io.BytesIO(data), filename=name)}
    boundary, body = encode_multipart(form)
    return client.post("/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def problems_shown(response_text: str) -> list[str]:
    box = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', response_text, re.S)
    assert box, "no problem list on the page"
    return [visible_text(item) for item in re.findall(r"<li>(.*?)</li>", box.group(1), re.S)]


def loader_messages(raw: bytes, content: Content, lang: str = "ja") -> list[str]:
    with pytest.raises(AssessmentError) as caught:
        parse_assessment(raw, content)
    return caught.value.messages(lang)  # type: ignore[arg-type]


def fill_in(client: FlaskClient, base: str) -> None:
    answers = {
        "profile": {
            "client__name": "Round Trip 株式会社",
            "client__employees": "1,200",
            "client__industry": "製造業",
            "survey__departments__marketing": "dedicated",
            "survey__departments__inside_sales": "none",
            "survey__tools__sfa": "in_use",
            "survey__tools__sfa_product": "Salesforce",
            "survey__tools__spreadsheet": "false",
        },
        "funnel": {"survey__funnel__leads": "500", "survey__funnel__average_deal_size": "1200000.5"},
        "checklist-organization": {
            "checklist__org__mql_definition": "yes",
            "comments__org__mql_definition": "複数行の\r\nコメント: yes",
        },
        "checklist-tools": {"checklist__tools__lead_scoring": "no"},
        "checklist-data": {"checklist__data__access_control": "partial"},
    }
    for page_id, data in answers.items():
        assert post_page(client, f"{base}/{page_id}", data).status_code == 302, page_id


def test_export_yaml_and_json(client: FlaskClient) -> None:
    base = start(client)
    fill_in(client, base)
    as_yaml = client.get(f"{base}/assessment.yaml")
    assert as_yaml.status_code == 200
    assert as_yaml.mimetype == "application/x-yaml"
    day = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the reader's today (READINESS_TIMEZONE)
    disposition = parse_options_header(as_yaml.headers["Content-Disposition"])
    assert disposition == ("attachment", {"filename": f"Round-Trip-株式会社_回答データ_{day}.yaml"})
    assert as_yaml.headers["Cache-Control"] == "no-store"
    document = yaml.safe_load(text(as_yaml))
    as_json = client.get(f"{base}/assessment.json")
    assert as_json.mimetype == "application/json"
    disposition = parse_options_header(as_json.headers["Content-Disposition"])
    assert disposition == ("attachment", {"filename": f"Round-Trip-株式会社_回答データ_{day}.json"})
    assert json.loads(text(as_json)) == document
    assert "Round Trip 株式会社" in text(as_json)  # readable, not \\u-escaped

    assert document["version"] == 1
    assert document["client"] == {"name": "Round Trip 株式会社", "employees": 1200, "industry": "製造業"}
    assert document["checklist"] == {
        "org.mql_definition": "yes",
        "tools.lead_scoring": "no",
        "data.access_control": "partial",
    }
    # the browser sends the textarea's break as CR LF; it is kept as one line break
    assert document["comments"] == {"org.mql_definition": "複数行の\nコメント: yes"}
    assert document["survey"]["departments"] == {"marketing": "dedicated", "inside_sales": "none"}
    assert document["survey"]["tools"] == {"sfa": "in_use", "sfa_product": "Salesforce", "spreadsheet": False}
    assert document["survey"]["funnel"] == {"leads": 500, "average_deal_size": 1200000.5}


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_then_import_gives_the_same_answers(app: Flask, client: FlaskClient, fmt: str) -> None:
    base = start(client)
    fill_in(client, base)
    exported = client.get(f"{base}/assessment.{fmt}").data

    response = upload(client, exported, f"assessment.{fmt}")
    assert response.status_code == 302
    assert response.location.endswith("/review?imported=1")
    new_base = response.location.rsplit("/", 1)[0]
    assert token_of(new_base) != token_of(base)

    assert client.get(f"{new_base}/assessment.{fmt}").data == exported
    for page_id in ("profile", "funnel", "checklist-organization", "checklist-tools", "checklist-data"):
        before = parse(client.get(f"{base}/{page_id}")).values
        after = parse(client.get(f"{new_base}/{page_id}")).values
        for name in before:
            if name == "client__employees":  # typed "1,200", stored canonically as 1200
                assert (before[name], after[name]) == ("1,200", "1200")
            else:
                assert after[name] == before[name], (page_id, name)
    assert visible_text(client.get(f"{new_base}/review")).count("Round Trip 株式会社") == 1
    assert count_rows(app) == 2


def test_an_explicit_dont_know_survives_export_and_import(client: FlaskClient) -> None:
    """'わからない' is an answer the user chose; after export and import it must not read 'not answered'."""
    base = start(client)
    post_page(client, f"{base}/checklist-data", {"checklist__data__access_control": "unknown"})
    assert parse(client.get(f"{base}/checklist-data")).values["checklist__data__access_control"] == "unknown"
    response = upload(client, client.get(f"{base}/assessment.yaml").data)
    assert response.status_code == 302
    new_base = response.location.rsplit("/", 1)[0]
    values = parse(client.get(f"{new_base}/checklist-data")).values
    assert values.get("checklist__data__access_control") == "unknown"


def test_import_the_sample(app: Flask, client: FlaskClient, content: Content) -> None:
    response = upload(client, SAMPLE_PATH.read_bytes(), "sample.yaml")
    assert response.status_code == 302
    assert re.search(r"/a/[A-Za-z0-9_-]{40,}/review\?imported=1$", response.location)
    review = client.get(response.location)
    assert review.status_code == 200
    shown = visible_text(review)
    for expected in ("株式会社サンプル", "150", "SaaS", "HubSpot", "営業とマーケで定義が一致していない"):
        assert expected in shown
    assert "新しい専用リンク" in shown and "以前のリンクは読み込みの影響を受けず" in shown  # the import says so
    row = stored(app, token_of(response.location))
    assert row.document == to_document(parse_assessment(SAMPLE_PATH.read_bytes(), content))
    results = text(client.get(response.location.replace("/review", "/results")))
    assert "部門のサイロ化" in results


def test_import_json_file(client: FlaskClient) -> None:
    document = {"version": 1, "client": {"name": "JSON KK"}, "checklist": {"org.kpis_defined": "yes"}}
    response = upload(client, json.dumps(document).encode(), "a.json")
    assert response.status_code == 302
    assert "JSON KK" in visible_text(client.get(response.location))


SAMPLE = SAMPLE_PATH.read_text(encoding="utf-8")
ALIAS_BOMB = "\n".join(
    ["version: 1", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
       f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
       for i in range(8)]
).encode()  # fmt: skip

BAD_FILES = {
    "invalid answer": (
        SAMPLE.replace("org.mql_definition: partial", "org.mql_definition: maybe").encode(),
        ["checklist.org.mql_definition: 'maybe' は yes, partial, no, unknown のいずれでもありません"],
    ),
    "rate above 100": (
        SAMPLE.replace("connect_rate: 18", "connect_rate: 150").encode(),
        ["survey.funnel.connect_rate: 150 は上限 100 を超えています"],
    ),
    "unknown item": (
        SAMPLE.replace("org.baton_meeting: no", "org.baton_meting: no").encode(),
        [
            "checklist.org.baton_meting: 「org.baton_meting」はチェックリストにない設問IDです"
            "（もしかして「org.baton_meeting」？）"
        ],
    ),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ["テキストではないデータ（バイナリ）が含まれています"]),
    "not utf-8": (b"client:\n  name: \xff\xfe\xfa\n", ["UTF-8 として読めません"]),
    "empty": (b"", ["ファイルが空です"]),
    "only whitespace": (b"  \n\n", ["ファイルが空です"]),
    "alias bomb": (ALIAS_BOMB, ["値の数が多すぎます"]),
    "recursive alias": (b"checklist: &c {org.mql_definition: *c}\n", ["エイリアス *c が自分自身を含んでおり"]),
    "not a mapping": (b"- a\n- b\n", ["「キー: 値」の形式で書いてください"]),
    "broken yaml": (b"client: [unclosed\n", ["YAML/JSON として読めません"]),
    "just over 1 MB": (b"# " + b"x" * 1_000_000 + b"\nversion: 1\n", ["ファイルが大きすぎます"]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_with_the_loaders_messages(
    app: Flask, client: FlaskClient, content: Content, case: str
) -> None:
    raw, expected = BAD_FILES[case]
    response = upload(client, raw)
    assert response.status_code == 400
    body = text(response)
    shown = problems_shown(body)
    for fragment in expected:
        assert any(fragment in line for line in shown), (fragment, shown)
    if raw.strip():  # exactly what the CLI's loader says (of what the app reads: 1 MB and a byte at most)
        assert shown == loader_messages(raw[:1_000_001], content)
    assert translate(app, "The file has problems:", "ja") in body
    assert "Traceback" not in body
    assert 'aria-invalid="true"' in body
    assert count_rows(app) == 0


def test_every_problem_is_listed_at_once_in_english(client: FlaskClient, content: Content) -> None:
    raw = (
        SAMPLE.replace("org.mql_definition: partial", "org.mql_definition: maybe")
        .replace("connect_rate: 18", "connect_rate: 150")
        .replace("employees: 150", "employees: -3")
        .encode()
    )
    client.get("/import?lang=en")
    response = upload(client, raw)
    assert response.status_code == 400
    shown = problems_shown(text(response))
    assert shown == loader_messages(raw, content, "en")
    assert "checklist.org.mql_definition: 'maybe' is not one of yes, partial, no, unknown" in shown
    assert "survey.funnel.connect_rate: 150 is above 100" in shown
    assert "client.employees: -3 is below 0" in shown
    assert "The file has problems:" in text(response)


def test_a_file_over_the_request_limit_is_a_friendly_413(app: Flask, client: FlaskClient) -> None:
    response = upload(client, b"x" * 1_200_000)
    assert response.status_code == 413
    body = text(response)
    assert translate(app, "The file is too large (1 MB at most).", "ja") in body
    assert "Traceback" not in body
    assert count_rows(app) == 0


def test_import_without_a_file(app: Flask, client: FlaskClient) -> None:
    response = client.post("/import", data={"csrf_token": fetch_csrf(client, "/import")})
    assert response.status_code == 400
    assert "ファイルが空です" in problems_shown(text(response))
    assert count_rows(app) == 0


def test_problem_text_from_the_file_is_escaped(client: FlaskClient) -> None:
    raw = b'version: 1\n"<script>alert(1)</script>": 1\nclient: {name: ok}\n'
    response = upload(client, raw)
    assert response.status_code == 400
    body = text(response)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
