"""Answers several features give the same way: a download, a PDF still being made, a save the database refused."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from assessment.i18n import N_, translator
from assessment.vocabulary import Lang
from assessment.web.store import NOT_SAVED_HEADERS

# What a file name must not hold: path separators, quotes, what Windows refuses (: * ? < > |), and controls.
_UNSAFE = re.compile(r"[/\\\"'`:*?<>|\x00-\x1f\x7f-\x9f]")
MAX_PART = 60  # characters of a company name kept in a file name (the name itself is at most 60)
PLAIN_STEM = "readiness"


def file_part(text: str) -> str:
    """A piece of a file name from free text: full-width forms folded (NFKC), unsafe characters dropped,
    runs of white space as one ``-``, no leading dot or dash; empty when nothing safe is left."""
    folded = unicodedata.normalize("NFKC", text)
    kept = "".join(ch for ch in _UNSAFE.sub("", folded) if ch.isprintable() or ch.isspace())
    return re.sub(r"\s+", "-", kept.strip())[:MAX_PART].strip(".-_ ")


def dated_file_name(company: str, what: str, day: date | str, extension: str) -> str:
    """``<company>_<what>_<YYYY-MM-DD>.<extension>`` in safe characters; a part with nothing safe in it is left
    out (no company: ``<what>_<day>``; nothing at all: ``readiness``)."""
    stamp = day.isoformat() if isinstance(day, date) else day
    parts = [part for part in (file_part(company), file_part(what), file_part(stamp)) if part]
    return f"{'_'.join(parts) or PLAIN_STEM}.{extension}"


def ascii_file_name(name: str) -> str:
    """``name`` in ASCII for the old ``filename=`` parameter: accents dropped, other letters left out."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    simple = _ascii_part(stem) or PLAIN_STEM
    return f"{simple}.{extension}" if extension else simple


def _ascii_part(text: str) -> str:
    simple = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    simple = re.sub(r"[-_]{2,}", lambda run: "_" if "_" in run.group() else "-", simple)
    return file_part(simple)


def attachment(name: str, fallback: str = "", disposition: str = "attachment") -> dict[str, str]:
    """The headers that make the browser save the body as ``name`` (RFC 6266): ``filename*=UTF-8''...`` (RFC
    5987) when the name is not ASCII, beside an ASCII ``filename="..."`` for old clients (``fallback``, else
    ``name`` stripped to ASCII), as Werkzeug's ``send_file`` does."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        plain = (fallback or ascii_file_name(name)).replace("\\", "").replace('"', "")
        quoted = quote(name, safe="!#$&+-.^_`|~")  # RFC 5987 attr-char
        return {"Content-Disposition": f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quoted}"}
    return {"Content-Disposition": f'{disposition}; filename="{name}"'}


# The words naming a downloaded file, in the reader's language (株式会社サンプル_THE-MODEL診断_2026-11-30.pdf).
REPORT_FILE = N_("readiness")
ASSESSMENT_FILE = N_("assessment-data")


def dated_download(company: str, what: str, day: date | str, extension: str, lang: Lang) -> dict[str, str]:
    """The download headers of a client's file, named ``<company>_<what>_<day>.<extension>`` with ``what``
    (:data:`REPORT_FILE`, :data:`ASSESSMENT_FILE`) in ``lang``, and the English name in ASCII beside it."""
    name = dated_file_name(company, translator(lang)(what), day, extension)
    return attachment(name, fallback=dated_file_name(_ascii_part(company), what, day, extension))


# The words naming a workshop round's files (株式会社サンプル_THE-MODEL提案書_第1回_2026-11-30_ja.pdf).
PROPOSAL_FILE = N_("THE-MODEL-proposal")
RESPONDENTS_FILE = N_("answers-by-respondent")
CONSENSUS_FILE = N_("consensus-by-item")
WORKBOOK_FILE = N_("workshop-answers")


def round_download(
    company: str, what: str, round_title: str, day: date | str, extension: str, lang: Lang, tag: str = ""
) -> dict[str, str]:
    """The download headers of a workshop round's file, named ``<company>_<what>_<round>_<day>[_<tag>].<ext>``
    with ``what`` in ``lang`` (the proposal's ``tag`` is its language), and the name in ASCII beside it."""
    stamp = day.isoformat() if isinstance(day, date) else day

    def name(*parts: str) -> str:
        kept = [part for part in (*parts, file_part(stamp), file_part(tag)) if part]
        return f"{'_'.join(kept) or PLAIN_STEM}.{extension}"

    local = name(file_part(company), file_part(translator(lang)(what)), file_part(round_title))
    return attachment(local, fallback=name(_ascii_part(company), file_part(what), _ascii_part(round_title)))


def local_today() -> date:
    """Today where the app's readers are (``READINESS_TIMEZONE``, Tokyo by default), to date a download."""
    now: datetime = to_user_timezone(datetime.now(UTC))
    return now.date()


def company_of(document: Mapping[str, Any]) -> str:
    """The client's name in an assessment document (empty when none), to name its files after."""
    client = document.get("client")
    name = client.get("name") if isinstance(client, dict) else None
    return name if isinstance(name, str) else ""


def preparing() -> Any:
    """The PDF is being made in the background: a page that says so and leads back to where the visitor came
    from. app.js asks for the PDF every two seconds and downloads it once it is there; without script, a link
    reloads. The page does not refresh itself (that takes the page from under a screen reader)."""
    back, label = _way_back()
    body = render_template("preparing.html", pdf_url=request.full_path.rstrip("?"), back=back, back_label=label)
    return body, 202, {"Retry-After": "2", "Cache-Control": "no-store"}


def render_failed() -> Any:
    """The PDF failed to render, its retries included: say so (never "Preparing…" for ever), with the answers
    safe, a way to try again (the same address with ``retry=1``) and the way back. 500: the server failed."""
    back, label = _way_back()
    arguments = {**(request.view_args or {}), **request.args.to_dict(), "retry": "1"}
    retry_url = url_for(str(request.endpoint), **arguments)
    body = render_template("pdf_failed.html", retry_url=retry_url, back=back, back_label=label)
    return body, 500, {"Cache-Control": "no-store"}


def _way_back() -> tuple[str, str]:
    """The page a PDF was asked for from, and the words of the link back to it."""
    args = request.view_args or {}
    if request.endpoint == "diagnosis.report":
        return url_for("diagnosis.results_page", token=args["token"]), _("Back to the results")
    if request.endpoint == "workshop.proposal_pdf":
        return url_for("workshop.proposal", engagement_id=args["engagement_id"]), _("Back to the proposal")
    return url_for("diagnosis.landing"), _("Back to the start page")


def not_saved(body: str) -> Any:
    """The database did not take the write: 503, try again shortly, with what was typed still on the page."""
    return body, 503, NOT_SAVED_HEADERS
