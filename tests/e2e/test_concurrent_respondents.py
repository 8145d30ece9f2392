"""Many respondents answering at once against the live server (gunicorn as deployed): nothing is lost.

Each of 36 respondents joins through the workshop's short link with a department, then saves the three
checklist pages (20 answers and a comment) from its own thread with its own cookies. Afterwards the
consultant's CSV export must hold exactly what each respondent sent, and the live screen's counts must
add up. Answers are random per respondent (seeded), so an overwrite between two people would show.
"""

from __future__ import annotations

import csv
import io
import random
import re
from concurrent.futures import ThreadPoolExecutor

from assessment import load_content
from tests.e2e.conftest import Account, Server
from tests.e2e.http import Browserless

CONTENT = load_content()
PAGES = ("checklist-organization", "checklist-tools", "checklist-data")
RESPONDENTS = 36
THREADS = 12


def field(item_id: str) -> str:
    return "checklist__" + item_id.replace(".", "__")


def signed_in(server: Server, account: Account) -> Browserless:
    visitor = Browserless(server.url)
    page = visitor.get("/login")
    reply = visitor.post("/login", {"csrf_token": page.csrf(), "email": account.email, "password": account.password})
    assert reply.status == 200 and reply.url.endswith("/clients"), reply.text[:500]
    return visitor


def new_round(consultant: Browserless, client_name: str) -> tuple[int, str]:
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


def answer_everything(server: Server, code: str, number: int) -> dict[str, object]:
    """One respondent: join, then save the three pages; returns what was sent."""
    rng = random.Random(number)
    department = CONTENT.survey.roles[number % len(CONTENT.survey.roles)]
    name = f"回答者{number:02d}"
    answers = {item.id: rng.choice(("yes", "partial", "no", "unknown")) for item in CONTENT.checklist.items}
    commented = CONTENT.checklist.items[number % len(CONTENT.checklist.items)].id
    comment = f"コメント{number} <b>&amp;</b>"
    visitor = Browserless(server.url)
    join = visitor.get(f"/j/{code}")
    reply = visitor.post(f"/j/{code}", {"csrf_token": join.csrf(), "department": department, "name": name})
    assert reply.status == 200 and "/r/" in reply.url, (reply.status, reply.url)
    for page_id in PAGES:
        axis = page_id.split("-", 1)[1]
        form = [("csrf_token", reply.csrf()), ("action", "next")]
        for item in CONTENT.checklist.items:
            if item.axis == axis:
                form.append((field(item.id), answers[item.id]))
                if item.id == commented:
                    form.append(("comments__" + item.id.replace(".", "__"), comment))
        reply = visitor.post(reply.url, form)
        assert reply.status == 200, (reply.status, reply.url, reply.text[:300])
    assert reply.url.endswith("/done")
    return {"name": name, "department": department, "answers": answers, "commented": commented, "comment": comment}


def test_many_respondents_at_once_lose_nothing(server: Server, consultant: Account) -> None:
    manager = signed_in(server, consultant)
    engagement_id, code = new_round(manager, "同時回答株式会社")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        sent = list(pool.map(lambda n: answer_everything(server, code, n), range(RESPONDENTS)))

    export = manager.get(f"/engagements/{engagement_id}/export/respondents.csv?lang=en&names=1")
    assert export.status == 200
    rows = list(csv.DictReader(io.StringIO(export.body.decode("utf-8-sig"))))
    assert len(rows) == RESPONDENTS * len(CONTENT.checklist.items)
    stored: dict[str, dict[str, str]] = {}
    comments: dict[str, dict[str, str]] = {}
    departments: dict[str, str] = {}
    for row in rows:
        stored.setdefault(row["Respondent"], {})[row["Item id"]] = row["Answer id"]
        departments[row["Respondent"]] = row["Department id"]
        if row["Comment"]:
            comments.setdefault(row["Respondent"], {})[row["Item id"]] = row["Comment"]
    for person in sent:
        name = str(person["name"])
        assert stored[name] == person["answers"], name
        assert departments[name] == person["department"]
        assert comments[name] == {person["commented"]: person["comment"]}

    state = manager.get(f"/engagements/{engagement_id}/live.json")
    import json

    live = json.loads(state.body)
    assert live["participation"]["invited"] == RESPONDENTS
    assert live["participation"]["started"] == RESPONDENTS
    expected_finished = sum(1 for p in sent if all(a for a in p["answers"].values()))  # type: ignore[attr-defined]
    assert live["participation"]["finished"] == expected_finished
    mql = next(row for row in live["items"] if row["item"] == "org.mql_definition")
    assert mql["answered"] == RESPONDENTS
    for answer in ("yes", "partial", "no", "unknown"):
        assert mql["counts"][answer] == sum(1 for p in sent if p["answers"]["org.mql_definition"] == answer)  # type: ignore[index]
