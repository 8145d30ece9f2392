"""Phones saving while the consultant closes the round, against the live server (gunicorn with several workers):
every save the server acknowledged is in the round's snapshot, and every other save was refused and wrote
nothing. No phone is told "saved" for answers the closed round then lacks. In the PostgreSQL pass (make test) it
runs on PostgreSQL under read committed, where it failed 4 runs in 5 before a save's condition took the round's
row under a share lock (assessment/web/workshop/respondents.py: save_answers).

Each phone joins through the short link, then sends its first checklist page again and again with fresh
random answers until a save is refused because the round is closed. A save counts as acknowledged when the
server redirected to the next page (302); a refusal answers on the same address (410, or 503 under load).
"""

from __future__ import annotations

import csv
import io
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from assessment import load_content
from tests.e2e.conftest import Account, Server
from tests.e2e.http import Browserless
from tests.e2e.test_concurrent_respondents import field, new_round, signed_in

CONTENT = load_content()
AXIS_ITEMS = [item.id for item in CONTENT.checklist.items if item.axis == "organization"]
PHONES = 16
MAX_SAVES = 400


def keep_saving(server: Server, code: str, number: int, started: threading.Barrier) -> dict[str, object]:
    """One phone: join, then save the organisation page until the round is closed; what it was told."""
    rng = random.Random(number)
    visitor = Browserless(server.url)
    join = visitor.get(f"/j/{code}")
    name = f"電話{number:02d}"
    page = visitor.post(f"/j/{code}", {"csrf_token": join.csrf(), "department": "marketing", "name": name})
    assert page.status == 200 and page.url.endswith("/checklist-organization"), (page.status, page.url)
    address = page.url
    acknowledged: dict[str, str] | None = None
    refusals: list[int] = []
    csrf = page.csrf()
    started.wait()
    for _save in range(MAX_SAVES):
        answers = {item: rng.choice(("yes", "partial", "no", "unknown")) for item in AXIS_ITEMS}
        form = [("csrf_token", csrf), ("action", "next"), *((field(k), v) for k, v in answers.items())]
        reply = visitor.post(address, form)
        if reply.url.endswith("/checklist-tools"):  # redirected onwards: the server said "saved"
            acknowledged = answers  # (the next page may already say closed: the save itself was taken)
            continue
        assert reply.url == address and reply.status in (410, 503), (reply.status, reply.url)
        refusals.append(reply.status)
        if reply.status == 410:
            assert "This round is closed" in reply.text or "締め切られました" in reply.text
            break
    return {"name": name, "acknowledged": acknowledged, "refusals": refusals}


def test_phones_saving_while_the_round_closes_lose_nothing_acknowledged(server: Server, consultant: Account) -> None:
    manager = signed_in(server, consultant)
    engagement_id, code = new_round(manager, "締切競合株式会社")
    started = threading.Barrier(PHONES + 1)
    with ThreadPoolExecutor(max_workers=PHONES) as pool:
        futures = [pool.submit(keep_saving, server, code, n, started) for n in range(PHONES)]
        started.wait()
        time.sleep(1.0)  # the phones are saving
        dashboard = manager.get(f"/engagements/{engagement_id}")
        closed = manager.post(f"/engagements/{engagement_id}/close", {"csrf_token": dashboard.csrf()})
        assert closed.status == 200 and "round-closed" in closed.text, closed.status
        phones = [future.result() for future in futures]

    export = manager.get(f"/engagements/{engagement_id}/export/respondents.csv?lang=en&names=1")
    assert export.status == 200
    snapshot: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(export.body.decode("utf-8-sig"))):
        if row["Answer id"]:
            snapshot.setdefault(row["Respondent"], {})[row["Item id"]] = row["Answer id"]
    refused = 0
    for phone in phones:
        assert phone["refusals"] and phone["refusals"][-1] == 410, phone  # type: ignore[index]
        name, acknowledged = str(phone["name"]), phone["acknowledged"]
        assert acknowledged is not None, f"{name} saved nothing before the close: the test did not race"
        kept = {item: answer for item, answer in snapshot.get(name, {}).items() if item in AXIS_ITEMS}
        assert kept == acknowledged, name  # the last "saved" is what the snapshot holds; no refused save wrote
        refused += len(phone["refusals"])  # type: ignore[arg-type]
    assert refused >= PHONES  # each phone kept saving until a save was refused with the closed page

    # A save after the close, on any worker, is refused and changes nothing.
    late = Browserless(server.url)
    assert late.get(f"/j/{code}").status == 410
