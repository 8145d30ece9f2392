"""The proposal in the browser before its PDF is made: the very HTML the PDF is printed from (``pdf_process``'s
``proposal_html``, from the same data as the next generated PDF: ``proposals.proposal_basis``), with a banner that
says it is a preview and leads back to the narrative or on to the PDF.

The page fetches nothing: its stylesheet is inline, its charts are inline SVG and its logo a data: URI. Its own
Content-Security-Policy allows exactly that: no script at all, no request anywhere, only the styles it holds (each
by its hash). Reviewers may preview; only those who may edit see the button that generates the PDF."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template, request
from flask_babel import lazy_gettext
from flask_login import current_user

from assessment.engine.assessment_file import to_document
from assessment.web import brand, current
from assessment.web.locale import LANGS, as_lang
from assessment.web.models import Engagement
from assessment.web.pdf_process import proposal_html
from assessment.web.workshop import access
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.forms import NarrativeForm
from assessment.web.workshop.owned import owned
from assessment.web.workshop.proposals import proposal_basis

NOTHING = "'none'"
NAMES = {"ja": lazy_gettext("Japanese"), "en": lazy_gettext("English")}
PREVIEW_IN = {"ja": lazy_gettext("Preview in Japanese"), "en": lazy_gettext("Preview in English")}
GENERATE = {"ja": lazy_gettext("Generate the PDF (Japanese)"), "en": lazy_gettext("Generate the PDF (English)")}
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def preview_policy(page: str) -> str:
    """A Content-Security-Policy for ``page`` that allows its own inline styles (by hash) and data: images, and
    nothing else: no script, no fetch, no frame; its one form posts to this site."""
    elements = {_hash(body) for body in _STYLE_ELEMENT.findall(page)}
    attributes = {_hash(html.unescape(a or b)) for a, b in _STYLE_ATTRIBUTE.findall(page)}
    styles = " ".join(sorted(elements) + (["'unsafe-hashes'", *sorted(attributes)] if attributes else []))
    return (
        f"default-src 'none'; style-src {styles or NOTHING}; img-src data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def with_banner(page: str, banner: str) -> str:
    """The report's HTML with the preview banner first in its body."""
    found = _BODY.search(page)
    if found is None:
        return banner + page
    return page[: found.end()] + banner + page[found.end() :]


@bp.get("/engagements/<int:engagement_id>/proposal/preview")
@owned
def proposal_preview(engagement: Engagement) -> Any:
    """The proposal in ``?lang=`` (ja, en; else the page's language) as its PDF will print it, in the browser."""
    asked = request.args.get("lang")
    lang = as_lang(asked) if asked in LANGS else current.lang()
    parsed, before, trend = proposal_basis(engagement)
    prepared_by = str(current_user.name or current_user.email)
    other = next(code for code in LANGS if code != lang)
    look = brand.proposal_look(int(current_user.firm_id))
    logos = str(Path(current_app.instance_path) / "pdf" / "logos")
    report = proposal_html(to_document(parsed), lang, current.content(), before, prepared_by, trend, look, logos)
    banner = render_template(
        "workshop/_preview_banner.html", engagement=engagement, proposal_lang=lang,
        other_lang=other, other_label=PREVIEW_IN[other], generate_label=GENERATE[lang], language_name=NAMES[lang],
        editable=access.can_edit(), form=NarrativeForm(),
    )  # fmt: skip
    page = with_banner(report, banner)
    return Response(page, mimetype="text/html", headers={"Content-Security-Policy": preview_policy(page)})
