"""The firm's snippet library pages: the list (all, or one language), adding, editing and deleting (after asking).

The list filters with ``?language=`` (``?lang=`` is the page's own language). Any consultant of the firm adds;
the author or a firm admin edits and deletes; another firm's snippet is a 404 (``library``)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from assessment.engine.assessment_file import has_control_characters, unix_newlines
from assessment.vocabulary import LANGS, Lang
from assessment.web.app_form import AppForm
from assessment.web.forms import single_line
from assessment.web.locale import as_lang
from assessment.web.models import Snippet
from assessment.web.wording import control_character_message
from assessment.web.workshop import library
from assessment.web.workshop.blueprint import bp

PRIVATE = {"Cache-Control": "no-store"}
LANGUAGE_NAMES = {"ja": lazy_gettext("Japanese"), "en": lazy_gettext("English")}


def passage(value: Any) -> Any:
    """WTForms filter for a snippet's text: line breaks as one character, outer blank lines and spaces trimmed."""
    return unix_newlines(value).strip() if isinstance(value, str) else value


def visible_characters(form: AppForm, field: Field) -> None:
    """Refuse invisible control characters, naming the field."""
    if has_control_characters(field.data or ""):
        raise ValidationError(control_character_message())


class SnippetForm(AppForm):
    """A snippet: its language, a title to find it by and the passage itself."""

    lang = SelectField(lazy_gettext("Language"))  # the choices are set per request, in its language
    title = StringField(
        lazy_gettext("Title"), validators=[DataRequired(), Length(max=library.MAX_TITLE)],
        filters=[single_line],
    )  # fmt: skip
    body = TextAreaField(
        lazy_gettext("Text"), validators=[DataRequired(), Length(max=library.MAX_BODY), visible_characters],
        filters=[passage], render_kw={"rows": 8, "class": "snippet-text"},
    )  # fmt: skip


def snippet_form(**values: Any) -> SnippetForm:
    """The snippet form bound to the request, its languages named in the page's language."""
    form = SnippetForm(**values)
    form.lang.choices = {code: str(LANGUAGE_NAMES[code]) for code in LANGS}
    return form


def shown_language() -> Lang | None:
    """The language the list is filtered to (``?language=``), or None for every snippet."""
    asked = request.args.get("language", "")
    return as_lang(asked) if asked in LANGS else None


@bp.route("/snippets", methods=["GET", "POST"])
def snippets() -> Any:
    """The firm's snippets (all, or one language) and a form to add one."""
    language = shown_language()
    form = snippet_form(data={"lang": language} if language else None)
    if form.validate_on_submit():
        lang = as_lang(form.lang.data)
        added = library.add(lang, form.title.data or "", form.body.data or "")
        flash(_("The snippet has been added to the firm's library."))
        return redirect(url_for("workshop.snippets", language=lang) + f"#snippet-{added.id}")
    found = library.snippets(language)
    body = render_template(
        "workshop/snippets.html", form=form, snippets=found, authors=library.authors(found), language=language,
        language_names=LANGUAGE_NAMES, may_change=library.may_change, max_body=library.MAX_BODY,
    )  # fmt: skip
    return body, 422 if request.method == "POST" else 200, PRIVATE


@bp.route("/snippets/<int:snippet_id>/edit", methods=["GET", "POST"])
def edit_snippet(snippet_id: int) -> Any:
    """Edit a snippet (its author or a firm admin)."""
    snippet = library.firm_snippet(snippet_id)
    library.require_change(snippet)
    form = snippet_form(obj=snippet)
    if form.validate_on_submit():
        library.change(snippet, as_lang(form.lang.data), form.title.data or "", form.body.data or "")
        flash(_("The snippet has been saved."))
        return redirect(url_for("workshop.snippets", language=snippet.lang) + f"#snippet-{snippet.id}")
    body = render_template("workshop/snippet_edit.html", form=form, snippet=snippet)
    return body, 422 if request.method == "POST" else 200, PRIVATE


@bp.route("/snippets/<int:snippet_id>/delete", methods=["GET", "POST"])
def delete_snippet(snippet_id: int) -> Any:
    """Delete a snippet after asking (its author or a firm admin)."""
    snippet: Snippet = library.firm_snippet(snippet_id)
    library.require_change(snippet)
    back = url_for("workshop.snippets", language=snippet.lang)
    if request.method == "GET":
        body = render_template(
            "workshop/confirm_delete.html", title=_("Delete the snippet %(title)s?", title=snippet.title),
            what=_("It is removed from the firm's library for everyone."), back=back, archive_url=None,
            form=FlaskForm(),
        )  # fmt: skip
        return body, 200, PRIVATE
    FlaskForm().validate_on_submit() or abort(400)
    library.remove(snippet)
    flash(_("The snippet has been deleted."))
    return redirect(back)
