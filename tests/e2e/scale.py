"""The load of the scale-out test and bench (tests/e2e/test_deployment.py, bench/bench_scale_out.py): workshop
phones, self-service managers and consultants' proposal PDFs, as browsers through nginx, that keep going when an
app node dies.

Each visitor has its own cookies and connects from a loopback address of its own room (127.x.y.z: Linux answers
the whole 127/8), so nginx sees each room's phones, each manager and each consultant apart, as the per-address
limits expect, without any header a client could choose. A request that gets no answer (the connection
refused or cut: its node was killed) or a 502/503/504 is not acknowledged; the visitor sends it again after a
pause, as a person presses the button again (a join resends its one-time key, so it is never counted twice), and
the retry is counted. Every answer is timed. What each visitor had acknowledged is compared at the end with
what the database holds (``missing_answers``): SQL on PostgreSQL or on the SQLite file, whichever served.
"""

from __future__ import annotations

import functools
import http.client
import http.cookiejar
import json
import random
import re
import ssl
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.e2e.burst import ANSWERS, CONTENT, PAGES, field_name
from tests.e2e.http import CSRF

RETRIED = (502, 503, 504)
ATTEMPTS = 8  # a visitor gives up on a request after this many tries (about 20 s of pauses)
KEY = re.compile(r'name="key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="key"')


@dataclass(frozen=True)
class Hit:
    """One answered request: what it was (page, save, join, pdf-poll, ...), its status and its time."""

    kind: str
    status: int
    seconds: float


@dataclass(frozen=True)
class Answer:
    """What a request got: status, the URL it redirects to (or its own) and the body."""

    status: int
    location: str
    data: bytes

    @property
    def body(self) -> str:
        """The body as text."""
        return self.data.decode("utf-8", errors="replace")

    def csrf(self) -> str:
        """The page's CSRF token."""
        match = CSRF.search(self.body)
        if not match:
            raise Failed(f"no csrf_token on {self.location} ({self.status})")
        return match.group(1) or match.group(2)


class Failed(Exception):
    """A visitor could not go on: what it got, where."""


class _Keep302(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a save's 302 is its acknowledgement: the visitor follows it itself


class _SourceHTTPS(urllib.request.HTTPSHandler):
    """HTTPS from a given loopback address."""

    def __init__(self, context: ssl.SSLContext, source: str) -> None:
        super().__init__(context=context)
        self.source = source
        self.tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connect = functools.partial(http.client.HTTPSConnection, context=self.tls, source_address=(self.source, 0))
        return self.do_open(connect, req)  # type: ignore[arg-type]


class _SourceHTTP(urllib.request.HTTPHandler):
    """Plain HTTP from a given loopback address."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(http.client.HTTPConnection, source_address=(self.source, 0)), req)


@dataclass
class Tally:
    """Every visitor's hits and retries, shared by the threads."""

    hits: list[Hit] = field(default_factory=list)
    retries: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, hit: Hit) -> None:
        """Keep one answered request."""
        with self.lock:
            self.hits.append(hit)

    def retry(self, reason: str) -> None:
        """Count one request sent again, by why."""
        with self.lock:
            self.retries[reason] += 1

    def of(self, *kinds: str) -> list[Hit]:
        """The hits of these kinds."""
        with self.lock:
            return [h for h in self.hits if h.kind in kinds]


class Visitor:
    """One browser: its cookies, its address, no automatic redirects; sends again what got no answer."""

    def __init__(self, base: str, tally: Tally, source: str = "127.0.0.1", cafile: Path | None = None) -> None:
        self.base = base
        self.tally = tally
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        handlers: list[Any] = [jar, _Keep302(), _SourceHTTP(source)]
        if cafile is not None:
            handlers.append(_SourceHTTPS(ssl.create_default_context(cafile=str(cafile)), source))
        self.opener = urllib.request.build_opener(*handlers)
        self.last_page = ""  # sent as the Referer of a form, as a browser does (CSRF checks it over HTTPS)

    def send(self, kind: str, url: str, form: Sequence[tuple[str, str]] | None = None) -> Answer:
        """One request, sent again (up to :data:`ATTEMPTS` times) while it gets no answer or a 502/503/504."""
        url = url if url.startswith("http") else self.base + url
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        for attempt in range(1, ATTEMPTS + 1):
            headers = {"Referer": self.last_page or url} if form is not None else {}
            request = urllib.request.Request(
                url, data=data, headers=headers, method="POST" if form is not None else "GET"
            )
            started = time.perf_counter()
            try:
                with self.opener.open(request, timeout=90) as response:
                    status, location, body = response.status, url, response.read()
            except urllib.error.HTTPError as error:
                with error:
                    status, body = error.code, error.read()
                    location = urllib.parse.urljoin(url, error.headers.get("Location") or url)
            except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException) as error:
                reason = getattr(error, "reason", error)
                self.tally.retry(f"{kind}: no answer ({type(reason).__name__})")
                time.sleep(0.3 * attempt)
                continue
            self.tally.hit(Hit(kind, status, time.perf_counter() - started))
            if form is None and status == 200:
                self.last_page = url
            if status in RETRIED and attempt < ATTEMPTS:
                self.tally.retry(f"{kind}: {status}")
                time.sleep(0.3 * attempt)
                continue
            return Answer(status, location, body)
        raise Failed(f"{kind} {url}: no answer after {ATTEMPTS} tries")

    def page(self, url: str, kind: str = "page") -> Answer:
        """GET ``url``, following redirects as a browser does (each one a request of ``kind``)."""
        for _ in range(5):
            answer = self.send(kind, url)
            if answer.status not in (301, 302, 303):
                return answer
            url = answer.location
        return answer

    def expect(self, answer: Answer, status: int, what: str) -> Answer:
        """``answer`` if it has ``status``, else :class:`Failed` saying what."""
        if answer.status != status:
            raise Failed(f"{what}: {answer.status} at {answer.location}: {answer.body[:300]!r}")
        return answer


# --- phones ------------------------------------------------------------------------------------------------------


@dataclass
class Phone:
    """One respondent: round, name, department, answers; what was acknowledged, and where it stopped if it did."""

    round: int
    engagement_id: int
    name: str
    department: str
    answers: dict[str, str]
    comment_item: str
    comment: str
    acknowledged: list[str] = field(default_factory=list)  # pages saved (302)
    failed: str = ""


def new_phone(round_index: int, engagement_id: int, number: int) -> Phone:
    """Respondent ``number`` of a round, with seeded random answers (an overwrite between two would show)."""
    rng = random.Random(f"scale-{round_index}-{number}")
    items = CONTENT.checklist.items
    return Phone(
        round=round_index,
        engagement_id=engagement_id,
        name=f"scale-{round_index:02d}-{number:02d}",
        department=CONTENT.survey.roles[number % len(CONTENT.survey.roles)],
        answers={item.id: rng.choice(ANSWERS) for item in items},
        comment_item=items[number % len(items)].id,
        comment=f"comment {round_index}-{number} <b>&amp;</b>",
    )


def _hidden(pattern: re.Pattern[str], body: str) -> str:
    match = pattern.search(body)
    return (match.group(1) or match.group(2)) if match else ""


def answer_round(visitor: Visitor, code: str, phone: Phone, think: Callable[[], None]) -> None:
    """Join through the round's short link and save the three checklist pages, thinking between pages."""
    try:
        join = visitor.expect(visitor.send("page", f"/j/{code}"), 200, "join page")
        form = [("csrf_token", join.csrf()), ("key", _hidden(KEY, join.body)), ("department", phone.department),
                ("name", phone.name)]  # fmt: skip
        think()
        joined = visitor.expect(visitor.send("join", f"/j/{code}", form), 302, "join")
        current = visitor.page(joined.location)
        for page_id in PAGES:
            if current.status != 200 or not current.location.endswith(page_id):
                raise Failed(f"before {page_id}: {current.status} {current.location}")
            axis = page_id.split("-", 1)[1]
            form = [("csrf_token", current.csrf()), ("action", "next")]
            for item in CONTENT.checklist.items:
                if item.axis == axis:
                    form.append((field_name(item.id), phone.answers[item.id]))
                    if item.id == phone.comment_item:
                        form.append(("comments__" + item.id.replace(".", "__"), phone.comment))
            think()
            saved = visitor.expect(visitor.send("save", current.location, form), 302, f"save {page_id}")
            phone.acknowledged.append(page_id)
            current = visitor.page(saved.location)
        if current.status != 200 or not current.location.endswith("/done"):
            raise Failed(f"after the last page: {current.status} {current.location}")
    except Failed as failure:
        phone.failed = str(failure)


# --- self-service managers ---------------------------------------------------------------------------------------


def manager_pages(number: int) -> dict[str, dict[str, str]]:
    """What manager ``number`` types on each page (their own company name, so a mix-up would show)."""
    return {
        "profile": {
            "client__name": f"Manager {number:02d} KK",
            "client__employees": str(100 + number),
            "client__industry": "SaaS",
            "survey__departments__marketing": "dedicated",
            "survey__departments__inside_sales": "shared",
            "survey__tools__ma": "in_use",
        },
        "funnel": {
            "survey__funnel__leads": str(800 + number),
            "survey__funnel__mqls": "120",
            "survey__funnel__sqls": "40",
            "survey__funnel__opportunities": "35",
            "survey__funnel__wins": "6",
        },
        "checklist-organization": {
            "checklist__org__exec_sponsorship": "yes",
            "checklist__org__mql_definition": ("partial", "no", "yes")[number % 3],
            "comments__org__mql_definition": f"manager {number} <i>note</i>",
        },
        "checklist-tools": {
            "checklist__tools__ma_plan": ("yes", "no")[number % 2],
            "checklist__tools__sfa_plan": "yes",
        },
        "checklist-data": {"checklist__data__lead_capture": "partial"},
    }


@dataclass
class Manager:
    """One manager's self-service diagnosis: its token and the pages acknowledged."""

    number: int
    token: str = ""
    acknowledged: list[str] = field(default_factory=list)
    failed: str = ""


def self_service(visitor: Visitor, manager: Manager, think: Callable[[], None]) -> None:
    """Start a diagnosis and save the profile, funnel and checklist pages, thinking between pages."""
    try:
        landing = visitor.expect(visitor.send("page", "/"), 200, "landing")
        started = visitor.expect(visitor.send("join", "/start", [("csrf_token", landing.csrf())]), 302, "start")
        manager.token = started.location.split("/a/", 1)[1].split("/", 1)[0]
        current = visitor.page(started.location)
        for page_id, values in manager_pages(manager.number).items():
            if current.status != 200 or not current.location.endswith(page_id):
                raise Failed(f"before {page_id}: {current.status} {current.location}")
            think()
            form = [("csrf_token", current.csrf()), ("action", "next"), *values.items()]
            saved = visitor.expect(visitor.send("save", current.location, form), 302, f"save {page_id}")
            manager.acknowledged.append(page_id)
            current = visitor.page(saved.location)
    except Failed as failure:
        manager.failed = str(failure)


# --- consultants -------------------------------------------------------------------------------------------------


def sign_in(visitor: Visitor, email: str, password: str) -> None:
    """Sign the consultant in (their session is held in the database: any node knows it)."""
    page = visitor.expect(visitor.send("page", "/login"), 200, "login page")
    form = [("csrf_token", page.csrf()), ("email", email), ("password", password)]
    answer = visitor.send("save", "/login", form)
    if answer.status != 302 or not visitor.page(answer.location).location.endswith("/clients"):
        raise Failed(f"sign-in of {email}: {answer.status} {answer.body[:300]!r}")


def new_round(visitor: Visitor, client_name: str) -> tuple[int, str]:
    """A new client with one round: the round's id and its join code."""
    clients = visitor.expect(visitor.send("page", "/clients"), 200, "clients")
    made = visitor.expect(visitor.send("save", "/clients", [("csrf_token", clients.csrf()), ("name", client_name)]),
                          302, "new client")  # fmt: skip
    client = visitor.page(made.location)
    client_id = int(client.location.rsplit("/", 1)[1])
    form = [("csrf_token", client.csrf()), ("title", "Scale-out round"), ("held_on", "2026-11-30")]
    opened = visitor.expect(visitor.send("save", f"/clients/{client_id}", form), 302, "new round")
    engagement = visitor.page(opened.location)
    code = re.search(r"/j/([a-z0-9]+)", engagement.body)
    if not code:
        raise Failed(f"no join link on the round's page {engagement.location}")
    return int(engagement.location.rsplit("/", 1)[1]), code.group(1)


@dataclass
class Pdf:
    """A proposal PDF asked for: its round, language, when it was asked for and when it arrived (and its bytes)."""

    engagement_id: int
    client_name: str
    lang: str
    asked: float = 0.0
    arrived: float = 0.0
    data: bytes = b""
    url: str = ""
    failed: str = ""
    polls: Counter[int] = field(default_factory=Counter)


def generate(visitor: Visitor, pdf: Pdf) -> None:
    """Generate the round's proposal in ``pdf.lang`` (the archive keeps it) and note its PDF's address."""
    page = visitor.expect(visitor.send("page", f"/engagements/{pdf.engagement_id}/proposal"), 200, "proposal page")
    pdf.asked = time.monotonic()
    form = [("csrf_token", page.csrf()), ("lang", pdf.lang)]
    made = visitor.expect(visitor.send("save", f"/engagements/{pdf.engagement_id}/proposal/generate", form), 302,
                          "generate")  # fmt: skip
    archived = re.search(r"#proposal-(\d+)", made.location)
    if not archived:
        raise Failed(f"generate: no proposal in {made.location}")
    pdf.url = f"/engagements/{pdf.engagement_id}/proposals/{archived.group(1)}.pdf"


def wait_for_pdf(visitor: Visitor, pdf: Pdf, timeout: float, every: float = 1.0) -> None:
    """Poll the PDF as its waiting page does until it arrives (200 and a PDF), fails, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            answer = visitor.send("pdf-poll", pdf.url)
            pdf.polls[answer.status] += 1
            if answer.status == 200:
                pdf.arrived = time.monotonic()
                pdf.data = answer.data
                if not answer.data.startswith(b"%PDF"):
                    pdf.failed = f"200 but not a PDF: {answer.data[:100]!r}"
                return
            if answer.status != 202:
                pdf.failed = f"{answer.status}: {answer.body[:300]!r}"
                return
            time.sleep(every)
        pdf.failed = f"not there after {timeout:.0f} s"
    except Failed as failure:
        pdf.failed = str(failure)


# --- what the database holds --------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else (value or {})


def missing_answers(database_url: str, phones: Sequence[Phone], managers: Sequence[Manager]) -> list[str]:
    """Every acknowledged answer that the database does not hold as sent (SQL, not the app): empty when none.
    Also a respondent stored twice (a join counted twice) or one nobody sent."""
    engine = create_engine(database_url)
    problems: list[str] = []
    try:
        with engine.connect() as connection:
            rounds = sorted({p.engagement_id for p in phones})
            stored: dict[tuple[int, str], list[Any]] = {}
            for engagement_id in rounds:
                rows = connection.execute(
                    text("SELECT name, department, answers, comments FROM respondents WHERE engagement_id = :e"),
                    {"e": engagement_id},
                ).all()
                for row in rows:
                    stored.setdefault((engagement_id, row.name), []).append(row)
            sent = {(p.engagement_id, p.name) for p in phones}
            problems += [f"round {e}: {name} stored {len(rows)} times" for (e, name), rows in stored.items()
                         if len(rows) > 1]  # fmt: skip
            problems += [f"round {e}: {name} stored, never sent" for (e, name) in stored if (e, name) not in sent]
            for phone in phones:
                problems += _phone_problems(phone, stored.get((phone.engagement_id, phone.name), []))
            for manager in managers:
                if not manager.token:
                    continue
                document = _json(
                    connection.execute(
                        text("SELECT document FROM self_assessments WHERE token = :t"), {"t": manager.token}
                    ).scalar_one()
                )
                problems += _manager_problems(manager, document)
    finally:
        engine.dispose()
    return problems


def _phone_problems(phone: Phone, rows: list[Any]) -> list[str]:
    if not phone.acknowledged and not rows:
        return []  # never joined (its failure is reported apart)
    if len(rows) != 1:
        return [f"{phone.name}: {len(rows)} rows"]
    row = rows[0]
    answers, comments = _json(row.answers), _json(row.comments)
    problems = [] if row.department == phone.department else [f"{phone.name}: department {row.department}"]
    for page_id in phone.acknowledged:
        axis = page_id.split("-", 1)[1]
        for item in CONTENT.checklist.items:
            if item.axis == axis and answers.get(item.id) != phone.answers[item.id]:
                problems.append(f"{phone.name} {item.id}: {answers.get(item.id)!r} for {phone.answers[item.id]!r}")
            if item.axis == axis and item.id == phone.comment_item and comments.get(item.id) != phone.comment:
                problems.append(f"{phone.name} comment {item.id}: {comments.get(item.id)!r}")
    return problems


def _manager_problems(manager: Manager, document: dict[str, Any]) -> list[str]:
    problems = []
    pages = manager_pages(manager.number)
    for page_id in manager.acknowledged:
        for name, value in pages[page_id].items():
            stored = _document_value(document, name)
            if str(stored) != value:
                problems.append(f"manager {manager.number} {page_id} {name}: {stored!r} for {value!r}")
    return problems


def _document_value(document: dict[str, Any], name: str) -> Any:
    """The stored value of a form field (``client__name`` → client.name, ``checklist__org__x`` → checklist
    ["org.x"], ``comments__org__x`` → comments["org.x"])."""
    head, _, rest = name.partition("__")
    if head in ("checklist", "comments"):
        return (document.get(head) or {}).get(rest.replace("__", "."))
    value: Any = document
    for part in name.split("__"):
        value = value.get(part) if isinstance(value, dict) else None
    return value


# --- figures -----------------------------------------------------------------------------------------------------


def percentiles(hits: Sequence[Hit]) -> str:
    """p50, p95 and max of the hits' latency in ms (and how many)."""
    if not hits:
        return "none"
    times = sorted(h.seconds * 1000 for h in hits)
    p95 = statistics.quantiles(times, n=100, method="inclusive")[94] if len(times) > 1 else times[0]
    return f"n={len(times)}  p50 {statistics.median(times):.1f}  p95 {p95:.1f}  max {times[-1]:.1f} ms"


def p95(hits: Sequence[Hit]) -> float:
    """The 95th percentile in ms (0 without hits)."""
    times = sorted(h.seconds * 1000 for h in hits)
    if len(times) < 2:
        return times[0] if times else 0.0
    return float(statistics.quantiles(times, n=100, method="inclusive")[94])


def thinker(seconds: float, seed: str) -> Callable[[], None]:
    """A pause between pages: ``seconds`` on average (0.5–1.5 times), none when 0."""
    rng = random.Random(seed)

    def think() -> None:
        if seconds > 0:
            time.sleep(seconds * rng.uniform(0.5, 1.5))

    return think
