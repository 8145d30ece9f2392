"""Every round of many clients with its overall readiness score, for the portfolio.

The score is the one the round's results page shows: the round's document as ``documents.round_document`` builds
it (a closed round's snapshot, an open round's live answers), scored by the core's ``readiness_scores`` (the
scoring ``diagnose`` uses, without the rules, funnel and plan the portfolio does not show). The rounds, their
surveys and the state of their respondents' answers (ids, revisions, departments) are loaded in three queries for
all clients at once; each round's score is kept per process under that state, so only a round that changed loads its
answers (one more query for them all) and is scored again."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from assessment.engine.assessment_file import parse_assessment
from assessment.engine.diagnosis import readiness_scores
from assessment.errors import AssessmentError
from assessment.web import current
from assessment.web.models import Client, Engagement, Respondent, SelfAssessment, db
from assessment.web.workshop import respondents as rs
from assessment.web.workshop import store as ws
from assessment.web.workshop.documents import round_document

KEPT_SCORES = 20_000  # rounds whose score a process keeps (a few bytes each)


@dataclass(frozen=True)
class ScoredRound:
    """A round and its overall score out of 100 (None: nothing answered yet, or the stored data cannot be read)."""

    engagement: Engagement
    answered: bool
    overall: float | None


class _Scores:
    """A thread-safe LRU of rounds' (answered, overall score) by the state of their answers."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, tuple[bool, float | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[bool, tuple[bool, float | None]]:
        """Whether a score is kept under ``key``, and (answered, overall) if so."""
        with self._lock:
            if key not in self._kept:
                return False, (False, None)
            self._kept.move_to_end(key)
            return True, self._kept[key]

    def put(self, key: Hashable, value: tuple[bool, float | None]) -> None:
        """Keep a round's (answered, overall) under the state of its answers."""
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        """Forget every score."""
        with self._lock:
            self._kept.clear()


_scores = _Scores(KEPT_SCORES)


def forget_scores() -> None:
    """Drop every kept score (tests that compare a fresh scoring with a kept one)."""
    _scores.clear()


def rounds_by_client(clients: Sequence[Client]) -> dict[int, list[ScoredRound]]:
    """Each client's rounds that are not archived, oldest first (by date, then by creation), each scored."""
    if not clients:
        return {}
    engagements = list(
        db.session.execute(
            db.select(Engagement)
            .where(Engagement.client_id.in_([c.id for c in clients]), Engagement.archived_at.is_(None))
            .order_by(Engagement.held_on, Engagement.id)
        ).scalars()
    )
    by_client: dict[int, list[ScoredRound]] = {c.id: [] for c in clients}
    for scored in _scored(engagements):
        by_client[scored.engagement.client_id].append(scored)
    return by_client


def _scored(engagements: list[Engagement]) -> list[ScoredRound]:
    """Score the rounds: their surveys in one query, the state of their respondents' answers in another, and only
    for the rounds whose score is not kept under that state, the respondents' answers in a third."""
    surveys = {
        row.id: row
        for row in db.session.execute(
            db.select(SelfAssessment).where(SelfAssessment.id.in_([e.assessment_id for e in engagements]))
        ).scalars()
    }  # kept in the session: ``ws.assessment_of`` then reads them without a query
    states: dict[int, list[tuple[int, int, str]]] = {e.id: [] for e in engagements}
    open_ids = [e.id for e in engagements if ws.snapshot_of(e) is None]
    for row in db.session.execute(
        db.select(Respondent.engagement_id, Respondent.id, Respondent.revision, Respondent.department)
        .where(Respondent.engagement_id.in_(open_ids), Respondent.revoked_at.is_(None))
        .order_by(Respondent.id)
    ):
        states[int(row[0])].append((int(row[1]), int(row[2] or 0), str(row[3])))
    fingerprint = current.content().fingerprint
    keys = {e.id: _state(e, surveys[e.assessment_id], states[e.id], fingerprint) for e in engagements}
    kept = {e.id: _scores.get(keys[e.id]) for e in engagements}
    missing = [e for e in engagements if not kept[e.id][0]]
    invited = _respondents([e.id for e in missing if e.id in set(open_ids)])
    scored = []
    for engagement in engagements:
        found, value = kept[engagement.id]
        if not found:
            value = _score(engagement, surveys[engagement.assessment_id], invited.get(engagement.id))
            _scores.put(keys[engagement.id], value)
        answered, overall = value
        scored.append(ScoredRound(engagement, answered, overall))
    return scored


def _respondents(engagement_ids: list[int]) -> dict[int, list[Respondent]]:
    """Everyone invited to these rounds, by round, in the order of invitation (one query; none for no round)."""
    invited: dict[int, list[Respondent]] = {e: [] for e in engagement_ids}
    if engagement_ids:
        for person in db.session.execute(
            db.select(Respondent).where(Respondent.engagement_id.in_(engagement_ids)).order_by(Respondent.id)
        ).scalars():
            invited[int(person.engagement_id or 0)].append(person)
    return invited


def _state(
    engagement: Engagement, survey: SelfAssessment, people: list[tuple[int, int, str]], fingerprint: str
) -> Hashable:
    """What a round's score depends on: a closed round's closing (its snapshot), else the survey's revision and
    each counting respondent's revision and department (every save bumps a revision)."""
    if engagement.closed_at is not None and ws.snapshot_of(engagement) is not None:
        return ("closed", engagement.id, engagement.closed_at.isoformat(), survey.id, survey.revision, fingerprint)
    return ("open", engagement.id, survey.id, survey.revision, tuple(people), fingerprint)


def _score(
    engagement: Engagement, survey: SelfAssessment, invited: list[Respondent] | None
) -> tuple[bool, float | None]:
    """Whether anything of the round is answered (as ``store.has_answers`` tells) and its overall score as its
    results page shows it (None when nothing is answered, or its stored data cannot be read)."""
    live = rs.answers_from(invited) if invited is not None else None
    answers = live if live is not None else ws.answers_of(engagement)
    answered = bool((survey.document or {}).get("checklist")) or any(r.answers for r in answers)
    if not answered:
        return False, None
    content = current.content()
    try:
        parsed = parse_assessment(round_document(engagement, live), content)
    except AssessmentError:
        return True, None
    return True, readiness_scores(parsed, content).overall
