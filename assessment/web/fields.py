"""The questions of a page as HTML, assembled in Python from markup escaped once per page and language.

The checklist page is the hottest page of the app; a Jinja loop over 40 radio buttons and 10 text
areas costs several hundred attribute look-ups per request. The same markup is built here from
pre-escaped pieces: only the answers and error messages are escaped per request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext
from markupsafe import Markup, escape

from assessment.web.forms import QuestionView


def render_questions(questions: Sequence[QuestionView], values: Mapping[str, Any], errors: Mapping[str, str]) -> Markup:
    """The fields of a page, with the saved values checked or filled and each error tied to its field."""
    parts: list[str] = []
    add_comment = gettext("Add a comment (optional)")
    for q in questions:
        name = escape(q.name)
        error = errors.get(q.name)
        value = values.get(q.name)
        if q.heading:
            parts.append(f'<h2 class="group">{escape(q.heading)}</h2>')
        error_html = f'<p class="field-error" id="{name}-error">{escape(error)}</p>' if error else ""
        if q.kind == "choice":
            described = " ".join(x for x in (f"{name}-hint" if q.hint else "", f"{name}-error" if error else "") if x)
            invalid = ' aria-invalid="true"' if error else ""
            number = f'<span class="num">{escape(q.number)}</span>' if q.number else ""
            hint = f'<p class="hint" id="{name}-hint">{escape(q.hint)}</p>' if q.hint else ""
            radios = "".join(on if value == choice else off for choice, off, on in q.radios)
            parts.append(
                f'<fieldset class="question{" invalid" if error else ""}" id="{name}"{invalid}'
                f"{f' aria-describedby={chr(34)}{described}{chr(34)}' if described else ''}>"
                f"<legend>{number}{escape(q.label)}</legend>"
                f'{hint}{error_html}<div class="choices">{radios}</div></fieldset>'
            )
        elif q.kind == "comment":
            # folded until wanted (twenty open boxes doubled the page); open when it holds a comment or an error
            aria = f' aria-invalid="true" aria-describedby="{name}-error"' if error else ""
            opened = " open" if value or error else ""
            parts.append(
                f'<details class="comment"{opened}><summary>{escape(add_comment)}</summary>'
                f'<label for="{name}-input" class="visually-hidden">{escape(q.label)}</label>'
                f'<textarea id="{name}-input" name="{name}" rows="2" maxlength="2000"{aria}>'
                f"{escape(value or '')}</textarea>{error_html}</details>"
            )
        else:
            tied = (
                f"{name}-hint" if q.hint else "",
                f"{name}-error" if error else "",
                f"{name}-unit" if q.suffix else "",
            )
            described = " ".join(x for x in tied if x)
            hint = f'<p class="hint" id="{name}-hint">{escape(q.hint)}</p>' if q.hint else ""
            aria = (' aria-invalid="true"' if error else "") + (f' aria-describedby="{described}"' if described else "")
            number_attrs = ' inputmode="decimal" class="number"' if q.kind == "number" else ""
            limit = f' maxlength="{q.maxlength}"' if q.maxlength else ""
            listed = f' list="{name}-list"' if q.suggestions else ""
            options = "".join(f'<option value="{escape(s)}">' for s in q.suggestions)
            datalist = f'<datalist id="{name}-list">{options}</datalist>' if q.suggestions else ""
            field = (
                f'<input id="{name}-input" name="{name}" type="text" value="{escape(value or "")}"'
                f'{number_attrs}{limit}{listed}{aria} autocomplete="off">'
            )
            if q.suffix:
                unit = f'<span class="unit" id="{name}-unit">{escape(q.suffix)}</span>'
                field = f'<span class="with-unit">{field}{unit}</span>'
            parts.append(
                f'<div class="question text{" invalid" if error else ""}" id="{name}">'
                f'<label for="{name}-input">{escape(q.label)}</label>{hint}{error_html}'
                f"{field}{datalist}</div>"
            )
    return Markup("\n".join(parts))
