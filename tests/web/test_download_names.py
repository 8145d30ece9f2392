"""Issue 15: the self-service downloads are named after the company and the day, in safe characters, with an
RFC 6266 ``Content-Disposition`` (``filename*=UTF-8''...`` beside an ASCII ``filename=``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from werkzeug.http import parse_options_header

from tests.web import post_page, start


def today() -> str:
    return datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat()  # the reader's today (READINESS_TIMEZONE)


def saved_file_name(response: object) -> str:
    disposition, params = parse_options_header(response.headers["Content-Disposition"])  # type: ignore[attr-defined]
    assert disposition == "attachment"
    return str(params["filename"])


def test_downloads_are_named_after_the_company_and_the_day(client: FlaskClient) -> None:
    base = start(client)
    assert post_page(client, f"{base}/profile", {"client__name": "株式会社サンプル"}).status_code == 302
    as_yaml = client.get(f"{base}/assessment.yaml")
    assert saved_file_name(as_yaml) == f"株式会社サンプル_回答データ_{today()}.yaml"
    assert as_yaml.headers["Content-Disposition"] == (
        f"attachment; filename=\"assessment-data_{today()}.yaml\"; filename*=UTF-8''"
        f"%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE%E3%82%B5%E3%83%B3%E3%83%97%E3%83%AB_"
        f"%E5%9B%9E%E7%AD%94%E3%83%87%E3%83%BC%E3%82%BF_{today()}.yaml"
    )
    assert saved_file_name(client.get(f"{base}/assessment.json")) == f"株式会社サンプル_回答データ_{today()}.json"
    client.get("/?lang=en")
    assert post_page(client, f"{base}/profile", {"client__name": "Sample KK"}).status_code == 302
    as_yaml = client.get(f"{base}/assessment.yaml")
    assert as_yaml.headers["Content-Disposition"] == f'attachment; filename="Sample-KK_assessment-data_{today()}.yaml"'


@pytest.mark.parametrize(
    ("company", "expected"),
    [
        ("../../etc/passwd", "etcpasswd_回答データ"),
        ('Say "hi" \\ <co>:*?|', "Say-hi-co_回答データ"),
        ("　", "回答データ"),  # nothing safe left: the plain name
        ("", "回答データ"),
    ],
)
def test_a_file_name_holds_safe_characters_only(client: FlaskClient, company: str, expected: str) -> None:
    base = start(client)
    if company:
        assert post_page(client, f"{base}/profile", {"client__name": company}).status_code == 302
    name = saved_file_name(client.get(f"{base}/assessment.yaml"))
    assert name == f"{expected}_{today()}.yaml"
    assert not set(name) & set('/\\"<>:*?|\x00')
