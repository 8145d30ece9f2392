"""Three workshop rounds at once against the live server (gunicorn as deployed): nothing is lost, nothing fails.

Three consultants each run a round for their own client; 30 phones per round (90 in all) join through their
round's short link with a department, then save the three checklist pages (20 answers and a comment), each from
its own thread with its own cookies, the three rounds' phones interleaved (tests/e2e/burst.py). Each round's
phones come from its own room's address, behind the reverse proxy the server trusts, as three rooms would.
Afterwards each consultant's CSV export must hold exactly what each of their round's respondents sent (and no
one else), no request may have failed (no 5xx, every save acknowledged), and each round's live counts must add
up. Answers are random per respondent (seeded), so an overwrite between two people would show.

The figures of the same burst on a server with several workers: bench/bench_workshop_burst.py, docs/BENCHMARKS.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.burst import burst, exported, lost, new_round, respond, sign_in
from tests.e2e.burst import field_name as field
from tests.e2e.conftest import Account, Server, running_server
from tests.e2e.http import Browserless

__all__ = ["answer_everything", "field", "new_round", "signed_in"]  # what the other live-server tests use

ROUNDS = 3
PHONES = 30  # per round
THREADS = 30
MQL = "org.mql_definition"


def signed_in(server: Server, account: Account) -> Browserless:
    """The consultant ``account``'s browser on ``server``, signed in."""
    return sign_in(server.url, account.email, account.password)


def answer_everything(server: Server, code: str, number: int) -> dict[str, object]:
    """One respondent (the ``number``-th, in the survey's role ``number`` modulo): join, then save the three
    pages; returns what was sent."""
    sent = respond(server.url, code, 0, number)
    assert not sent.failed, sent.failed
    return {"name": sent.name, "department": sent.department, "answers": sent.answers}


@pytest.fixture(scope="module")
def rooms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app as deployed behind one reverse proxy (READINESS_TRUSTED_PROXIES=1), so each room's address counts."""
    with running_server(tmp_path_factory.mktemp("burst-server"), READINESS_TRUSTED_PROXIES="1") as running:
        yield running


def consultants(server: Server, count: int) -> list[Browserless]:
    """``count`` consultants, each made with the CLI and signed in."""
    accounts = [Account(f"burst{n}@example.com", f"burst-password-{n}-2026") for n in range(count)]

    def made(account: Account) -> Browserless:
        created = server.flask(
            "create-consultant", account.email, "--name", account.email, "--password", account.password
        )
        assert created.returncode == 0, created.stderr
        return sign_in(server.url, account.email, account.password)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(made, accounts))


def test_three_rounds_of_thirty_phones_at_once_lose_nothing(rooms_server: Server) -> None:
    desks = consultants(rooms_server, ROUNDS)
    rounds = [new_round(desk, f"同時回答株式会社{n + 1}") for n, desk in enumerate(desks)]

    done = burst(rooms_server.url, [code for _id, code in rounds], PHONES, THREADS)

    assert [p.failed for p in done.sent if p.failed] == []
    statuses = [hit.status for hit in done.hits]
    assert [s for s in statuses if s >= 500] == []  # no 5xx
    saves = [hit for hit in done.hits if hit.kind == "save"]
    assert len(saves) == ROUNDS * PHONES * 3 and {hit.status for hit in saves} == {302}  # every save acknowledged
    for desk, (engagement_id, _code), n in zip(desks, rounds, range(ROUNDS), strict=True):
        sent = [p for p in done.sent if p.round == n]
        assert len(sent) == PHONES
        assert lost(exported(desk, engagement_id), sent) == []  # 0 lost answers, and nobody from another round
        live = json.loads(desk.get(f"/engagements/{engagement_id}/live.json").body)
        assert live["participation"]["invited"] == PHONES and live["participation"]["started"] == PHONES
        assert live["participation"]["finished"] == PHONES  # every phone answered every item
        assert sum(row["count"] for row in live["participation"]["by_department"]) == PHONES
        mql = next(row for row in live["items"] if row["item"] == MQL)
        assert mql["answered"] == PHONES
        for answer in ("yes", "partial", "no", "unknown"):
            assert mql["counts"][answer] == sum(1 for p in sent if p.answers[MQL] == answer)
    other = desks[1].get(f"/engagements/{rounds[0][0]}/export/respondents.csv?lang=en&names=1")
    assert other.status == 404  # and one consultant still cannot read another's round
