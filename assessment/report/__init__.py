"""The proposal PDF: diagnosis -> HTML (Jinja2) -> PDF (WeasyPrint). One entry point: :func:`render_pdf`.

The CLI, the web app and the workshop mode all call :func:`render_pdf`; :func:`render_html` returns the
exact, self-contained HTML that is printed (CSS inline, charts inline SVG, the logo by absolute path).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from assessment import resources
from assessment.content.model import Content
from assessment.engine.assessment_file import NOTE_SECTIONS
from assessment.engine.diagnosis import Diagnosis
from assessment.report.branding import Branding, load_branding
from assessment.report.context import build_context
from assessment.report.fonts import FontMissingError, replace_undrawable, require_japanese_font
from assessment.vocabulary import Lang

TEMPLATE_DIR = resources.report_templates_dir()

__all__ = [
    "NOTE_SECTIONS",
    "Branding",
    "FontMissingError",
    "load_branding",
    "render_html",
    "render_pdf",
    "typeset",
]


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Any:
    """Quote text as a CSS string, escaping everything but letters and digits (safe inside <style>)."""
    text = replace_undrawable(text)
    body = "".join(char if char.isalnum() and char.isprintable() else f"\\{ord(char):x} " for char in text)
    from markupsafe import Markup

    return Markup(f'"{body}"')


# A katakana word (インサイドセールス, カスタマーサクセス) is one unit, yet Pango breaks Japanese between any
# two characters and WeasyPrint has no `word-break: keep-all`; words up to 12 characters are wrapped in
# <span class="word">, which report.css keeps on one line inside tables. Longer runs may still break.
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc-\u30fe]{2,}")
_LONGEST_KEPT_WORD = 12
_RAW_ELEMENT = re.compile(r"(<(svg|style|script)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"(<[^>]*>)")
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def typeset(html: str) -> str:
    """Prepare the body's text for print: katakana words kept whole, characters no font has replaced by 〓.

    Only text between tags is touched (never attributes, the head, styles or scripts); inside inline SVG
    the characters are replaced but no span is added.
    """
    body_tag = _BODY.search(html)
    if body_tag is None:
        return html
    body = html[body_tag.end() :]
    parts, position = [html[: body_tag.end()]], 0
    for raw in _RAW_ELEMENT.finditer(body):
        parts.append(_typeset_markup(body[position : raw.start()], keep_words=True))
        parts.append(_typeset_markup(raw[0], keep_words=False) if raw[2].lower() == "svg" else raw[0])
        position = raw.end()
    parts.append(_typeset_markup(body[position:], keep_words=True))
    return "".join(parts)


def _typeset_markup(markup: str, keep_words: bool) -> str:
    """Typeset the text between the tags of ``markup``; the tags themselves pass through unchanged."""
    return "".join(token if token.startswith("<") else _typeset_text(token, keep_words) for token in _TAG.split(markup))


def _typeset_text(text: str, keep_words: bool) -> str:
    text = replace_undrawable(text)
    if not keep_words:
        return text
    return _KATAKANA_WORD.sub(
        lambda m: m[0] if len(m[0]) > _LONGEST_KEPT_WORD else f'<span class="word">{m[0]}</span>', text
    )


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")


def render_html(
    diagnosis: Diagnosis,
    content: Content,
    lang: Lang = "ja",
    branding: Branding | None = None,
    today: date | None = None,
    previous: Diagnosis | None = None,
    trend: Sequence[Mapping[str, Any]] | None = None,
    inline_images: bool = False,
) -> str:
    """Return the proposal as one self-contained HTML document in ``lang`` (``previous``: last workshop;
    ``trend``: the client's rounds with their scores, oldest first, drawn from three on; ``inline_images``: the
    logo as a data: URI instead of its file's path, for a browser that may fetch nothing)."""
    from assessment.report.i18n import translations

    branding = branding or Branding()
    today = today or date.today()
    catalogue = translations(lang)
    env = _environment()
    env.install_gettext_translations(catalogue, newstyle=True)
    _ = catalogue.gettext
    chapters = [
        ("summary", _("Executive summary")),
        ("checklist", _("Readiness checklist")),
        ("funnel", _("Funnel and benchmarks")),
        ("risks", _("Failure risks")),
        ("organisation", _("Organisation design")),
        ("configuration", _("MA/SFA configuration guide")),
        ("roadmap", _("Implementation roadmap")),
        ("next", _("Next steps")),
        ("appendix", _("Appendix: answers and survey")),
    ]
    context = build_context(diagnosis, content, lang, branding, today, _, previous, trend)
    logo_url = logo_source(branding.logo_path, inline_images) if branding.logo_path else None
    return typeset(
        env.get_template("report.html.j2").render(
            **context, chapters=chapters, css=_stylesheet(), logo_url=logo_url, iso_date=today.isoformat()
        )
    )


IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def logo_source(path: str, inline: bool) -> str:
    """Where the report's logo is read from: its file's URI, or (``inline``) the image itself as a data: URI."""
    file = Path(path).resolve()
    if not inline:
        return file.as_uri()
    kind = IMAGE_TYPES.get(file.suffix.lower(), "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


def render_pdf(
    diagnosis: Diagnosis,
    content: Content,
    lang: Lang = "ja",
    branding: Branding | None = None,
    today: date | None = None,
    html: str | None = None,
    previous: Diagnosis | None = None,
    trend: Sequence[Mapping[str, Any]] | None = None,
) -> bytes:
    """Render the proposal PDF; pass ``html`` to print HTML already rendered by :func:`render_html`."""
    require_japanese_font()
    from weasyprint import HTML

    from assessment.report.fetcher import SafeFetcher

    branding = branding or Branding()
    document = html if html is not None else render_html(diagnosis, content, lang, branding, today, previous, trend)
    allowed = [branding.logo_path] if branding.logo_path else []
    fetcher = SafeFetcher(allowed_files=allowed, allowed_dirs=[TEMPLATE_DIR])
    pdf = HTML(string=document, base_url=str(TEMPLATE_DIR), url_fetcher=fetcher).write_pdf()
    return bytes(pdf)
