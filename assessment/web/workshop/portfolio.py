"""The portfolio: every client the consultant can see (their own and those colleagues shared with them, not the
archived ones) with its industry, size, last round, score, trend and next round due. Searched by name or industry,
filtered by industry and by size band, sorted by name, score or due date (all in the query string: a view can be
bookmarked and shared)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user

from assessment.content.model import Content
from assessment.engine.phase import phase_for_size
from assessment.presentation.charts import DEFAULT_ACCENT
from assessment.presentation.sparkline import sparkline
from assessment.presentation.view.across import TREND_ROUNDS
from assessment.vocabulary import Lang
from assessment.web import current
from assessment.web.database import now
from assessment.web.models import Client, ClientShare, db
from assessment.web.workshop import access
from assessment.web.workshop import scoreboard as sb
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp

SORTS = ("name", "score", "due")
UNKNOWN_SIZE = "unknown"
MAX_QUERY = 100


@dataclass(frozen=True)
class SizeBand:
    """A range of head counts that suits one organisation phase of THE MODEL (``high`` None: no upper end)."""

    key: str
    low: int
    high: int | None
    phase: str


@dataclass(frozen=True)
class Row:
    """One client on the portfolio: the consultant's role, size band, last round, its change since the round
    before it (whole points, as the scores are shown), the trend line over three or more rounds, and whether the
    next round is overdue."""

    client: Client
    role: str
    band: SizeBand | None
    last: sb.ScoredRound | None
    previous: sb.ScoredRound | None
    delta: int | None
    spark: str
    overdue: bool


@dataclass(frozen=True)
class Choice:
    """The portfolio's search, filters and order, as the query string gives them (unknown values ignored)."""

    query: str
    industry: str
    size: str
    sort: str


def size_bands(content: Content, lang: Lang) -> list[SizeBand]:
    """The head-count ranges of the organisation phases (organisation.yaml), smallest first, each with the title
    of the phase it suits."""
    sized = sorted((p for p in content.organisation.phases if p.employees_min is not None), key=lambda p: p.number)
    return [
        SizeBand(f"{p.employees_min}-{p.employees_max or ''}", int(p.employees_min or 0), p.employees_max,
                 p.title.get(lang))
        for p in sized
    ]  # fmt: skip


def band_of(bands: list[SizeBand], employees: int | None, content: Content) -> SizeBand | None:
    """The band of a head count: the one of the phase that size suits (None when the size is not known)."""
    number = phase_for_size(content.organisation.phases, employees)
    phases = {p.number: p for p in content.organisation.phases}
    if number is None or number not in phases:
        return None
    return next((b for b in bands if b.low == phases[number].employees_min), None)


def searchable(text: str) -> str:
    """Text as the search compares it: full-width letters and digits as half-width, case ignored."""
    return unicodedata.normalize("NFKC", text).casefold()


def choice_from(args: Any, bands: list[SizeBand]) -> Choice:
    """The search, filters and order asked for (a size or order the page does not offer is ignored)."""
    size = str(args.get("size", ""))
    sort = str(args.get("sort", ""))
    return Choice(
        query=" ".join(str(args.get("q", "")).split())[:MAX_QUERY],
        industry=str(args.get("industry", ""))[:MAX_QUERY],
        size=size if size in {b.key for b in bands} | {UNKNOWN_SIZE} else "",
        sort=sort if sort in SORTS else "name",
    )


def wanted(client: Client, choice: Choice, band: SizeBand | None) -> bool:
    """Whether a client matches the search (its name or industry) and the filters."""
    needle = searchable(choice.query)
    if needle and needle not in searchable(client.name) and needle not in searchable(client.industry or ""):
        return False
    if choice.industry and (client.industry or "") != choice.industry:
        return False
    if choice.size == UNKNOWN_SIZE:
        return band is None
    return not choice.size or (band is not None and band.key == choice.size)


def roles_of(clients: list[Client]) -> dict[int, str]:
    """The signed-in consultant's role on each client: owner, or the role a colleague shared it with."""
    mine = int(current_user.id)
    shared = dict(
        db.session.execute(
            db.select(ClientShare.client_id, ClientShare.role).where(
                ClientShare.consultant_id == mine, ClientShare.client_id.in_([c.id for c in clients])
            )
        ).all()
    )
    return {c.id: access.OWNER if c.consultant_id == mine else str(shared.get(c.id, "")) for c in clients}


def row_of(client: Client, role: str, band: SizeBand | None, rounds: list[sb.ScoredRound], today: date) -> Row:
    """A client's portfolio row from its rounds (oldest first)."""
    last = rounds[-1] if rounds else None
    answered = [r for r in rounds[:-1] if r.answered and r.overall is not None]
    previous = answered[-1] if answered else None
    delta = None
    if last is not None and last.overall is not None and previous is not None and previous.overall is not None:
        delta = round(last.overall) - round(previous.overall)
    spark = ""
    line = [*answered, *([last] if last is not None and last.overall is not None else [])]
    if len(line) >= TREND_ROUNDS:
        figures = ", ".join(f"{r.engagement.title} {r.overall:.0f}" for r in line)
        name = _("Overall readiness per round: %(figures)s", figures=figures)
        spark = sparkline([float(r.overall or 0.0) for r in line], name, DEFAULT_ACCENT)
    overdue = client.next_round_on is not None and client.next_round_on < today
    return Row(client, role, band, last, previous, delta, spark, overdue)


def ordered(rows: list[Row], sort: str) -> list[Row]:
    """The rows by name, by score (highest first, unscored last) or by due date (soonest first, undated last)."""
    by_name = sorted(rows, key=lambda r: (searchable(r.client.name), r.client.id))
    if sort == "score":
        return sorted(by_name, key=lambda r: (r.last is None or r.last.overall is None, -(_score(r))))
    if sort == "due":
        return sorted(by_name, key=lambda r: (r.client.next_round_on is None, r.client.next_round_on or date.max))
    return by_name


def _score(row: Row) -> float:
    return row.last.overall if row.last is not None and row.last.overall is not None else 0.0


@bp.get("/portfolio")
def portfolio() -> Any:
    """Every client the consultant can see, with its last round, score, trend and next round due."""
    content, lang = current.content(), current.lang()
    bands = size_bands(content, lang)
    choice = choice_from(request.args, bands)
    everyone = ws.clients()
    band = {c.id: band_of(bands, c.employees, content) for c in everyone}
    chosen = [c for c in everyone if wanted(c, choice, band[c.id])]
    roles = roles_of(chosen)
    rounds = sb.rounds_by_client(chosen)
    today = to_user_timezone(now()).date()
    rows = ordered([row_of(c, roles[c.id], band[c.id], rounds[c.id], today) for c in chosen], choice.sort)
    industries = sorted({c.industry for c in everyone if c.industry}, key=searchable)
    body = render_template(
        "workshop/portfolio.html", rows=rows, choice=choice, bands=bands, industries=industries,
        total=len(everyone), unknown_size=UNKNOWN_SIZE, sorts=SORTS,
    )  # fmt: skip
    return body, 200, {"Cache-Control": "no-store"}
