"""The workshop burst the concurrency test and its benchmark share (tests/e2e/test_concurrent_respondents.py,
bench/bench_workshop_burst.py): several rounds at once, each with its phones joining through the round's short
link and saving the three checklist pages (20 answers and a comment), each phone from its own thread with its own
cookies, as a browser does: the form's page, its save (302), the next page. Every request is timed and its
status kept; nothing is retried, so a failure shows.

Each round's phones come from one address of their own (a room on one Wi-Fi), given as X-Forwarded-For: the
server is started trusting one reverse proxy (READINESS_TRUSTED_PROXIES=1, nginx as deployed), so the per-address
join limit counts each room apart, as it would for three rooms. Without that setting the header is ignored.
"""

from __future__ import annotations

import csv
import http.cookiejar
import io
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from assessment import load_content
from tests.e2e.http import CSRF, Browserless

CONTENT = load_content()
PAGES = ("checklist-organization", "checklist-tools", "checklist-data")
ANSWERS = ("yes", "partial", "no", "unknown")


def field_name(item_id: str) -> str:
    """The form field of a checklist item."""
    return "checklist__" + item_id.replace(".", "__")


def sign_in(base: str, email: str, password: str) -> Browserless:
    """A consultant's browser, signed in."""
    visitor = Browserless(base)
    page = visitor.get("/login")
    reply = visitor.post("/login", {"csrf_token": page.csrf(), "email": email, "password": password})
    assert reply.status == 200 and reply.url.endswith("/clients"), reply.text[:500]
    return visitor


def new_round(consultant: Browserless, client_name: str) -> tuple[int, str]:
    """A new client with one round: the round's id and its join code."""
    page = consultant.get("/clients")
    reply = consultant.post("/clients", {"csrf_token": page.csrf(), "name": client_name})
    client_id = int(reply.url.rsplit("/", 1)[1])
    reply = consultant.post(
        f"/clients/{client_id}", {"csrf_token": reply.csrf(), "title": "同時回答テスト", "held_on": "2026-11-22"}
    )
    engagement_id = int(reply.url.rsplit("/", 1)[1])
    code = re.search(r"/j/([a-z0-9]+)", reply.text)
    assert code, reply.text[:1000]
    return engagement_id, code.group(1)


@dataclass(frozen=True)
class Hit:
    """One request a phone made: what it was (join-page, join, page, save), its status and how long it took."""

    kind: str
    status: int
    seconds: float


@dataclass
class Sent:
    """What one phone sent: its round, name, department, answers and comment; ``failed`` says where it stopped."""

    round: int
    name: str
    department: str
    answers: dict[str, str]
    commented: str
    comment: str
    failed: str = ""
    hits: list[Hit] = field(default_factory=list)


class _Keep302(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a save's 302 is its acknowledgement: the phone follows it itself, timed apart


class Phone:
    """One respondent's browser: its cookies, its room's address, no automatic redirects."""

    def __init__(self, base: str, address: str | None) -> None:
        self.base = base
        self.headers = {"X-Forwarded-For": address} if address else {}
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar, _Keep302())

    def send(
        self, sent: Sent, kind: str, url: str, form: Sequence[tuple[str, str]] | None = None
    ) -> tuple[int, str, str]:
        """One request: its status, where it redirects to (or the URL) and its body; timed into ``sent.hits``."""
        url = url if url.startswith("http") else self.base + url
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers=self.headers, method="POST" if form else "GET")
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, location, body = response.status, url, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
            location = urllib.parse.urljoin(url, error.headers.get("Location") or url)
        sent.hits.append(Hit(kind, status, time.perf_counter() - started))
        return status, location, body.decode("utf-8", errors="replace")

    def page(self, sent: Sent, url: str) -> tuple[int, str, str]:
        """GET ``url``, following redirects as a browser would (each one a "page" request)."""
        for _ in range(5):
            status, location, body = self.send(sent, "page", url)
            if status not in (301, 302, 303):
                return status, location, body
            url = location
        return status, location, body


def _csrf(body: str) -> str:
    match = CSRF.search(body)
    return (match.group(1) or match.group(2)) if match else ""


def respond(base: str, code: str, round_index: int, number: int, address: str | None = None) -> Sent:
    """One phone: join the round with a department and a name, then save the three checklist pages."""
    rng = random.Random(f"{round_index}-{number}")
    items = CONTENT.checklist.items
    sent = Sent(
        round=round_index,
        name=f"回答者{number:02d}" if round_index == 0 else f"回答者{round_index + 1}-{number:02d}",
        department=CONTENT.survey.roles[number % len(CONTENT.survey.roles)],
        answers={item.id: rng.choice(ANSWERS) for item in items},
        commented=items[number % len(items)].id,
        comment=f"コメント{round_index}-{number} <b>&amp;</b>",
    )
    phone = Phone(base, address)
    status, _url, body = phone.send(sent, "join-page", f"/j/{code}")
    if status != 200:
        sent.failed = f"join page {status}"
        return sent
    form = [("csrf_token", _csrf(body)), ("department", sent.department), ("name", sent.name)]
    status, url, body = phone.send(sent, "join", f"/j/{code}", form)
    if status != 302 or "/r/" not in url:
        sent.failed = f"join {status}"
        return sent
    status, url, body = phone.page(sent, url)
    for page_id in PAGES:
        if status != 200 or not url.endswith(page_id):
            sent.failed = f"before {page_id}: {status} {url}"
            return sent
        axis = page_id.split("-", 1)[1]
        form = [("csrf_token", _csrf(body)), ("action", "next")]
        for item in items:
            if item.axis == axis:
                form.append((field_name(item.id), sent.answers[item.id]))
                if item.id == sent.commented:
                    form.append(("comments__" + item.id.replace(".", "__"), sent.comment))
        status, url, _body = phone.send(sent, "save", url, form)
        if status != 302:
            sent.failed = f"save {page_id}: {status}"
            return sent
        status, url, body = phone.page(sent, url)
    if status != 200 or not url.endswith("/done"):
        sent.failed = f"after the last page: {status} {url}"
    return sent


def room(round_index: int) -> str:
    """The address a round's phones come from (one room, one Wi-Fi)."""
    return f"10.20.{round_index + 1}.1"


@dataclass(frozen=True)
class Burst:
    """What a burst sent, every request it made, and how long it took from the first request to the last."""

    sent: list[Sent]
    seconds: float

    @property
    def hits(self) -> list[Hit]:
        """Every request of every phone."""
        return [hit for person in self.sent for hit in person.hits]


def burst(base: str, codes: Sequence[str], phones: int, threads: int, rooms: bool = True) -> Burst:
    """``phones`` phones in each round of ``codes`` at once (the rounds' phones interleaved), ``threads`` at a
    time; each round's phones from its room's address when ``rooms``."""
    tasks = [(r, n) for n in range(phones) for r in range(len(codes))]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        sent = list(pool.map(lambda t: respond(base, codes[t[0]], t[0], t[1], room(t[0]) if rooms else None), tasks))
    return Burst(sent, time.perf_counter() - started)


def exported(consultant: Browserless, engagement_id: int) -> list[dict[str, str]]:
    """The round's respondents export (CSV, English headings, names): one row per respondent × item."""
    reply = consultant.get(f"/engagements/{engagement_id}/export/respondents.csv?lang=en&names=1")
    assert reply.status == 200, reply.status
    return list(csv.DictReader(io.StringIO(reply.body.decode("utf-8-sig"))))


def lost(rows: list[dict[str, str]], sent: Sequence[Sent]) -> list[str]:
    """What the export does not hold exactly as sent (every answer, the department, the one comment), and anyone
    in it who was not sent: empty when nothing was lost or mixed up."""
    stored: dict[str, dict[str, str]] = {}
    comments: dict[str, dict[str, str]] = {}
    departments: dict[str, set[str]] = {}
    for row in rows:
        stored.setdefault(row["Respondent"], {})[row["Item id"]] = row["Answer id"]
        departments.setdefault(row["Respondent"], set()).add(row["Department id"])
        if row["Comment"]:
            comments.setdefault(row["Respondent"], {})[row["Item id"]] = row["Comment"]
    problems = [f"{name}: not sent" for name in stored.keys() - {p.name for p in sent}]
    for person in sent:
        answers = stored.get(person.name, {})
        problems += [
            f"{person.name} {item}: {answers.get(item)!r} for {said!r}"
            for item, said in person.answers.items()
            if answers.get(item) != said
        ]
        if departments.get(person.name) != {person.department}:
            problems.append(f"{person.name}: department {departments.get(person.name)} for {person.department}")
        if comments.get(person.name) != {person.commented: person.comment}:
            problems.append(f"{person.name}: comments {comments.get(person.name)}")
    if len(rows) != len(sent) * len(CONTENT.checklist.items):
        problems.append(f"{len(rows)} rows for {len(sent)} respondents")
    return problems
