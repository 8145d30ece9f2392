"""The view of a round with several respondents: where the departments disagree, and what participants wrote
beside the items.

A participant's comment is shown with their department, never their name, unless the caller asks for names
(``names=True``: the consultant's own choice on the consensus page). The web results and the PDF never do: they
may be projected or handed to the client."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.perception import Response
from assessment.engine.wording import role_label
from assessment.presentation.view.words import ANSWER_MARKS, answer_labels
from assessment.vocabulary import Lang

EXCERPT = 140  # characters of a comment the PDF prints (the rest is in the exports)


class AnswerMark(TypedDict):
    """A department's answer to a statement, as a mark and in words."""

    department: str
    answer: str
    mark: str
    label: str


class CommentView(TypedDict):
    """What one participant wrote beside a statement: their department (and name only when asked for)."""

    department: str
    name: str
    text: str
    excerpt: str  # the text cut to EXCERPT characters, for the PDF


class CommentedItem(TypedDict):
    """A statement the departments agree on, with the comments participants wrote beside it."""

    number: int
    text: str
    comments: list[CommentView]


class PerceptionGap(TypedDict):
    """A statement the departments see differently, the answer the scores use, and the participants' comments."""

    number: int
    text: str
    views: list[AnswerMark]
    consensus: str
    adopted: str
    overruled: bool
    comments: list[CommentView]


class PerceptionView(TypedDict):
    """Who answered a workshop round, where the departments disagree, and the other items commented on."""

    respondents: int
    departments: list[str]
    gaps: list[PerceptionGap]
    commented: list[CommentedItem]


def item_comments(
    responses: Sequence[Response], content: Content, lang: Lang, names: bool = False
) -> dict[str, list[CommentView]]:
    """Per item id, the participants' comments: departments in THE MODEL's order (then the survey's other roles),
    each department's people in the order they came. Names are left out unless ``names``."""
    order = {role: index for index, role in enumerate(content.survey.roles)}
    ranked = sorted(enumerate(responses), key=lambda pair: (order.get(pair[1].department, len(order)), pair[0]))
    found: dict[str, list[CommentView]] = {}
    for _index, response in ranked:
        for item_id, text in response.comments.items():
            if not text.strip():
                continue
            short = text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"
            found.setdefault(item_id, []).append(
                {
                    "department": role_label(response.department, content, lang),
                    "name": response.respondent if names else "",
                    "text": text,
                    "excerpt": short,
                }
            )
    return found


def perception_view(diagnosis: Diagnosis, content: Content, lang: Lang) -> PerceptionView | None:
    """Who answered a workshop round, the statements the departments see differently and the other statements
    participants commented on (None for a diagnosis with no respondents)."""
    perception = diagnosis.perception
    if perception is None:
        return None
    labels = answer_labels(content)
    numbers = {item.id: index for index, item in enumerate(content.checklist.items, start=1)}
    comments = item_comments(diagnosis.assessment.responses, content, lang)
    # what the scores use: the consultant's final answer where one was set, else the consensus
    used = {view.item_id: diagnosis.assessment.answers.get(view.item_id, view.consensus) for view in perception.gaps}
    gap_ids = set(used)
    return {
        "respondents": perception.respondents,
        "departments": [role_label(d, content, lang) for d in perception.departments],
        "gaps": [
            {
                "number": numbers[view.item_id],
                "text": content.checklist.item(view.item_id).text.get(lang),
                "views": [
                    {
                        "department": role_label(department, content, lang),
                        "answer": answer,
                        "mark": ANSWER_MARKS[answer],
                        "label": labels[answer].get(lang),
                    }
                    for department, answer in view.by_department.items()
                ],
                "consensus": labels[view.consensus].get(lang),
                "adopted": labels[used[view.item_id]].get(lang),
                "overruled": used[view.item_id] != view.consensus,
                "comments": comments.get(view.item_id, []),
            }
            for view in perception.gaps
        ],
        "commented": [
            {"number": numbers[item.id], "text": item.text.get(lang), "comments": comments[item.id]}
            for item in content.checklist.items
            if item.id in comments and item.id not in gap_ids
        ],
    }
