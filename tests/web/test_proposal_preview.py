"""Issue 16's narrative editor and proposal preview.

The proposal page puts the round's results beside the narrative (the overall score the results page shows, the axis
scores, the risks, the perception gaps) and lists the firm's snippets per language, each with an "insert" button for
narrative.js and its text visible without it. The preview serves, in the browser, the very HTML the PDF is printed
from: the narrative and the client's name in the chosen language, the same chapter headings as the PDF's text, the
logo inlined; under a CSP that allows no script and no fetch; a banner says it is a preview and leads back or on to
the PDF. Another consultant gets a 404; a reviewer may preview but not generate."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from assessment import load_content
from assessment.web.accounts import create_consultant
from assessment.web.models import Consultant, Engagement, Firm, Proposal, Respondent, SelfAssessment, db
from tests.web import build_app, dispose, text, translate, visible_text
from tests.web.test_round_lifecycle import PASSWORD, signed_in

CONTENT = load_content()
ITEMS = [item.id for item in CONTENT.checklist.items]
JA_SUMMARY = "日本語の総括：MQL定義の合意が最優先です"
EN_SUMMARY = "English summary: agree the MQL definition first"
COMPANY = "プレビュー精機株式会社"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#c00"/></svg>'


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("preview")
    app = build_app(folder, web_cache_dir, WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120)
    with app.app_context():
        firm = Firm(name="プレビュー事務所")
        db.session.add(firm)
        db.session.commit()
        create_consultant("owner@example.com", PASSWORD, "山田", firm=firm)
        create_consultant("reviewer@example.com", PASSWORD, "佐藤", firm=firm)
        create_consultant("outsider@example.com", PASSWORD, "他社")
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def owner(app: Flask) -> FlaskClient:
    return signed_in(app, "owner@example.com")


@pytest.fixture(scope="module")
def engagement(app: Flask, owner: FlaskClient) -> int:
    """A round of COMPANY: marketing answers yes, field sales no (a gap on every item), with both narratives; shared
    with 佐藤 as reviewer; the firm has a snippet in each language, another firm one of its own."""
    client_id = int(owner.post("/clients", data={"name": COMPANY}).location.rsplit("/", 1)[1])
    reply = owner.post(f"/clients/{client_id}", data={"title": "第1回", "held_on": "2026-10-01"})
    engagement = int(reply.location.rsplit("/", 1)[1])
    for department in ("marketing", "field_sales"):
        owner.post(f"/engagements/{engagement}/invites", data={"department": department, "name": "", "days": "3"})
    with app.app_context():
        for person in db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalars():
            person.answers = dict.fromkeys(ITEMS, "yes" if person.department == "marketing" else "no")
        reviewer = db.session.execute(db.select(Consultant).filter_by(email="reviewer@example.com")).scalar_one()
        from assessment.web.models import ClientShare

        db.session.add(ClientShare(client_id=client_id, consultant_id=reviewer.id, role="reviewer"))
        db.session.commit()
    saved = owner.post(
        f"/engagements/{engagement}/proposal",
        data={"note-executive_summary": JA_SUMMARY, "note-en-executive_summary": EN_SUMMARY, "action": "save"},
    )
    assert saved.status_code == 302
    owner.post("/snippets", data={"lang": "ja", "title": "合意の定型文", "body": "部門横断で<MQL>を合意する。"})
    owner.post("/snippets", data={"lang": "en", "title": "Agreement", "body": "Agree one MQL across teams."})
    signed_in(app, "outsider@example.com").post(
        "/snippets", data={"lang": "ja", "title": "他社の定型文", "body": "他社の本文"}
    )
    return engagement


def results_score(browser: FlaskClient, engagement: int) -> str:
    found = re.search(
        r'<p class="verdict-score"><strong>(\d+)</strong>', text(browser.get(f"/engagements/{engagement}/results"))
    )
    assert found
    return found.group(1)


def test_the_results_sit_beside_the_narrative_with_the_firms_snippets(
    app: Flask, owner: FlaskClient, engagement: int
) -> None:
    page = owner.get(f"/engagements/{engagement}/proposal?lang=ja")
    body = text(page)
    assert page.status_code == 200
    assert '<div class="proposal-workspace">' in body and "narrative.js" in body and "workspace.css" in body
    aside = body.split('<aside class="proposal-aside"', 1)[1].split("</aside>", 1)[0]
    score = re.search(r'<p class="aside-score" id="aside-overall"><strong>(\d+)</strong>', aside)
    assert score and score.group(1) == results_score(owner, engagement)
    assert 'class="axis-scores" aria-labelledby="aside-axis-title"' in aside
    for axis in CONTENT.checklist.axes:
        assert axis.title.get("ja") in aside
    assert 'id="aside-risks"' in aside and 'id="aside-gaps"' in aside  # marketing and field sales disagree
    assert "1. " in visible_text(aside.split('id="aside-gaps"')[1])

    assert "合意の定型文" in aside and "Agreement" in aside and "他社の定型文" not in aside
    assert "部門横断で&lt;MQL&gt;を合意する。" in aside  # the text itself, escaped, there to copy without script
    buttons = re.findall(r'<button type="button" class="secondary insert-snippet"[^>]*>', aside)
    assert len(buttons) == 2 and all(" hidden" in b for b in buttons)  # narrative.js shows them
    assert translate(app, "Insert", "ja") == "挿入" and "挿入" in aside
    japanese_list = aside.split('data-lang="ja"')[1].split("</ul>")[0]
    assert "合意の定型文" in japanese_list and "Agreement" not in japanese_list


def test_the_results_summary_and_snippets_in_english(owner: FlaskClient, engagement: int) -> None:
    shown = visible_text(owner.get(f"/engagements/{engagement}/proposal?lang=en"))
    for words in (
        "This round's results",
        "Overall readiness",
        "Readiness by axis",
        "Failure risks",
        "Where the departments disagree",
        "Snippets",
        "Insert",
        "Save and preview in the browser (English)",
    ):
        assert words in shown, words


def test_the_preview_is_the_proposal_html_in_the_chosen_language(
    app: Flask, owner: FlaskClient, engagement: int
) -> None:
    owner.get("/clients?lang=ja")  # the site in Japanese: the banner is in the site's language
    japanese = owner.get(f"/engagements/{engagement}/proposal/preview?lang=ja")
    assert japanese.status_code == 200 and japanese.mimetype == "text/html"
    assert "Set-Cookie" not in japanese.headers  # the preview's language is not the site's
    page = text(japanese)
    assert '<html lang="ja"' in page and JA_SUMMARY in visible_text(page) and EN_SUMMARY not in page
    assert COMPANY in re.sub(r"<[^>]+>", "", page)
    banner = page.split('id="preview-banner"', 1)[1].split("</div>", 1)[0]
    assert translate(app, "Preview: not the PDF yet", "ja") in banner
    assert f'href="/engagements/{engagement}/proposal"' in banner and 'id="generate-pdf"' in banner
    assert f'action="/engagements/{engagement}/proposal/generate"' in banner

    english = text(owner.get(f"/engagements/{engagement}/proposal/preview?lang=en"))
    assert translate(app, "Preview: not the PDF yet", "ja") in english  # the site stayed in Japanese
    assert '<html lang="en"' in english and EN_SUMMARY in english and JA_SUMMARY not in english
    assert COMPANY in re.sub(r"<[^>]+>", "", english)
    assert "Executive summary" in english and "Failure risks" in english


def test_the_preview_fetches_nothing_and_its_policy_allows_only_its_own_styles(
    owner: FlaskClient, engagement: int
) -> None:
    reply = owner.get(f"/engagements/{engagement}/proposal/preview?lang=en")
    policy = reply.headers["Content-Security-Policy"]
    page = text(reply)
    assert policy.startswith("default-src 'none';") and "script-src" not in policy and "'unsafe-inline'" not in policy
    assert "img-src data:;" in policy and "frame-ancestors 'none'" in policy
    for style in re.findall(r"<style\b[^>]*>(.*?)</style>", page, re.S):
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    for attribute in set(re.findall(r'\sstyle="([^"]*)"', page)):
        digest = base64.b64encode(hashlib.sha256(html.unescape(attribute).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, attribute
    assert "<script" not in page.lower()
    for reference in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert reference.startswith(("/", "#", "data:")), reference  # nothing from elsewhere
    assert "file://" not in page and "@import" not in page


def test_the_logo_is_inlined_as_a_data_uri(
    owner: FlaskClient, engagement: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "logo.svg").write_text(LOGO, encoding="utf-8")
    (tmp_path / "branding.yaml").write_text("firm_name: ロゴ事務所\nlogo: logo.svg\n", encoding="utf-8")
    monkeypatch.setenv("READINESS_BRANDING", str(tmp_path / "branding.yaml"))
    page = text(owner.get(f"/engagements/{engagement}/proposal/preview?lang=ja"))
    expected = "data:image/svg+xml;base64," + base64.b64encode(LOGO.encode()).decode()
    assert f'<img class="logo" src="{expected}"' in page
    assert "プレビュー事務所" in page and "ロゴ事務所" not in page  # the firm's own name wins over the server's
    assert str(tmp_path) not in page


def test_save_and_preview_saves_the_narrative_first(owner: FlaskClient, engagement: int) -> None:
    reply = owner.post(
        f"/engagements/{engagement}/proposal",
        data={"note-en-risks": "Risks, in English, saved before the preview", "action": "preview-en"},
    )
    assert reply.status_code == 302
    assert reply.location == f"/engagements/{engagement}/proposal/preview?lang=en"
    assert "Risks, in English, saved before the preview" in text(owner.get(reply.location))


def test_another_consultant_gets_a_404_and_a_reviewer_may_preview_only(app: Flask, engagement: int) -> None:
    outsider = signed_in(app, "outsider@example.com")
    for url in (f"/engagements/{engagement}/proposal/preview?lang=ja", f"/engagements/{engagement}/proposal/preview"):
        reply = outsider.get(url)
        assert reply.status_code == 404 and COMPANY not in text(reply) and JA_SUMMARY not in text(reply)
    assert outsider.post(f"/engagements/{engagement}/proposal/generate", data={"lang": "ja"}).status_code == 404

    reviewer = signed_in(app, "reviewer@example.com")
    preview = reviewer.get(f"/engagements/{engagement}/proposal/preview?lang=ja")
    assert preview.status_code == 200 and JA_SUMMARY in text(preview) and 'id="generate-pdf"' not in text(preview)
    page = text(reviewer.get(f"/engagements/{engagement}/proposal?lang=ja"))
    assert f'href="/engagements/{engagement}/proposal/preview?lang=en"' in page  # a reviewer's way to the preview
    assert "insert-snippet" not in page  # nothing to insert into: a reviewer cannot save
    assert reviewer.post(f"/engagements/{engagement}/proposal/generate", data={"lang": "ja"}).status_code == 403
    with app.app_context():
        assert db.session.execute(db.select(Proposal)).first() is None


def squeezed(words: str) -> str:
    return re.sub(r"\s+", "", html.unescape(words))


@pytest.mark.pdf
def test_the_preview_has_the_pdfs_headings_and_its_button_generates_the_pdf(
    app: Flask, owner: FlaskClient, engagement: int
) -> None:
    for lang in ("ja", "en"):
        preview = text(owner.get(f"/engagements/{engagement}/proposal/preview?lang={lang}"))
        reply = owner.post(f"/engagements/{engagement}/proposal/generate", data={"lang": lang})
        assert reply.status_code == 302, text(reply)[:300]
        proposal_id = int(re.search(r"#proposal-(\d+)$", reply.location).group(1))  # type: ignore[union-attr]
        with app.app_context():
            archived = db.session.get(Proposal, proposal_id)
            assert archived is not None and archived.lang == lang
            assert db.session.get(Engagement, engagement) is not None
        pdf = owner.get(f"/engagements/{engagement}/proposals/{proposal_id}.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        words = squeezed("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.data)).pages))
        report = preview.split('id="preview-banner"', 1)[1]
        headings = [squeezed(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h1\b[^>]*>(.*?)</h1>", report, re.S)]
        assert len(headings) >= 8, headings
        for heading in headings:
            assert heading in words, (lang, heading)
        summary = JA_SUMMARY if lang == "ja" else EN_SUMMARY
        assert squeezed(summary) in words and summary in preview


def test_a_round_whose_data_cannot_be_read_keeps_its_narrative_editable(app: Flask, owner: FlaskClient) -> None:
    client_id = int(owner.post("/clients", data={"name": "読めない株式会社"}).location.rsplit("/", 1)[1])
    reply = owner.post(f"/clients/{client_id}", data={"title": "壊れた回", "held_on": "2026-10-02"})
    engagement = int(reply.location.rsplit("/", 1)[1])
    with app.app_context():
        survey = db.session.get(SelfAssessment, db.session.get(Engagement, engagement).assessment_id)  # type: ignore[union-attr]
        assert survey is not None
        survey.document = {**survey.document, "version": 99, "checklist": {"org.mql_definition": "yes"}}
        db.session.commit()
    page = owner.get(f"/engagements/{engagement}/proposal?lang=ja")
    assert page.status_code == 200 and 'id="aside-no-results"' in text(page)
    assert 'name="note-executive_summary"' in text(page)
    portfolio = text(owner.get("/portfolio?q=読めない"))
    row = portfolio.split('class="score r">', 1)[1].split("</td>", 1)[0]
    assert row == "—"  # answered, but no score can be read: not "no answers yet"
