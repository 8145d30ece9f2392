"""The page language: chosen with ?lang=, remembered in a cookie, Japanese unless asked otherwise."""

from __future__ import annotations

from flask import Response, request

from assessment.vocabulary import Lang

LANGS = ("ja", "en")
NOT_REMEMBERED = frozenset({"diagnosis.report", "workshop.proposal_preview"})  # a PDF's language is not the site's


def as_lang(value: str | None) -> Lang:
    """A language code as the core takes it: "en" for English, Japanese for anything else."""
    return "en" if value == "en" else "ja"


def language_switch(action: str | None) -> str | None:
    """The language a questionnaire form was sent to switch to (``action=lang:en``), if that is what it asks."""
    prefix, _sep, wanted = (action or "").partition(":")
    return wanted if prefix == "lang" and wanted in LANGS else None


def select_locale() -> str:
    """The page language: ?lang= (remembered in a cookie), else the cookie, else Japanese."""
    asked = None if request.endpoint in NOT_REMEMBERED else request.args.get("lang")  # a PDF's ?lang= is the PDF's
    wanted = asked or request.cookies.get("lang")
    return wanted if wanted in LANGS else "ja"


def remember_language(response: Response) -> Response:
    """Keep a language chosen with ?lang= for the next pages."""
    wanted = request.args.get("lang")
    if wanted in LANGS and request.endpoint not in NOT_REMEMBERED:
        response.set_cookie("lang", wanted, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
