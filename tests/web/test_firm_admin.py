"""Issue 16, a firm workspace: the firm admin's pages. Accounts (list, add, role, deactivate with its sign-ins ended
at once, reactivate; never without an active admin), handing a leaver's clients over (after a confirmation, with
the rounds, the receiver's own shares removed, the history written), and the firm's look (name, a readable
accent colour, a checked PNG or JPEG logo) on its consultants' pages under the strict CSP.

The refusals share one pair of firms for the module (``firms``: nothing may change them); each test that
changes something builds its own (``fresh``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from assessment.web.models import AuditEntry, Client, ClientShare, Consultant, Engagement, Firm, LoginSession, db
from assessment.web.security import CONTENT_SECURITY_POLICY
from tests.web import dispose, error_summary, fetch_csrf, field_errors, parse, text, translate, visible_text
from tests.web.firm_world import X_CLIENT, Firms, account, build_firms
from tests.web.test_workshop_isolation import PASSWORD, post_form


@pytest.fixture(scope="module")
def firms(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Firms]:
    """Two firms no test of the module may change."""
    built = build_firms(tmp_path_factory.mktemp("firm-admin"), web_cache_dir)
    yield built
    dispose(built.app)


@pytest.fixture
def fresh(tmp_path: Path, web_cache_dir: Path) -> Iterator[Firms]:
    """Two firms of the test's own, to change."""
    built = build_firms(tmp_path / "firms", web_cache_dir)
    yield built
    dispose(built.app)


def image(kind: str, size: tuple[int, int] = (240, 60), colour: str = "#0a7d5a") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def sign_in(firms: Firms, email: str, password: str = PASSWORD) -> int:
    browser = firms.app.test_client()
    return browser.post(
        "/login", data={"csrf_token": fetch_csrf(browser, "/login"), "email": email, "password": password}
    ).status_code


# --- accounts -----------------------------------------------------------------------------------------------------


def test_the_accounts_page_lists_the_firms_accounts_with_role_state_and_clients(firms: Firms) -> None:
    page = firms["ada"].get("/firm/accounts")
    assert page.status_code == 200 and parse(page).html_lang == "ja"
    assert page.headers["Cache-Control"] == "no-store"
    rows = {
        who: visible_text(text(page).split(f'id="account-{firms.ids[who]}"')[1].split("</tr>")[0])
        for who in ("ada", "fay", "rex", "nell")
    }
    assert '<td class="r">1</td>' in text(page).split(f'id="account-{firms.ids["ada"]}"')[1].split("</tr>")[0]
    assert '<td class="r">0</td>' in text(page).split(f'id="account-{firms.ids["fay"]}"')[1].split("</tr>")[0]
    assert all(translate(firms.app, "active") in row for row in rows.values())
    assert "yuri@example.com" not in text(page) and "zed@example.com" not in text(page)
    assert text(page).count('<td class="account-actions">') == 4  # the spot for the reset link, one per row


def test_an_admin_adds_an_account_that_can_sign_in(fresh: Firms) -> None:
    ada = fresh["ada"]
    created = post_form(
        ada,
        "/firm/accounts",
        "/firm/accounts",
        {
            "email": " New.Person@Example.com ",
            "name": "新人 花子",
            "role": "consultant",
            "password": "a long enough password",
        },
    )
    assert created.status_code == 302
    person = account(fresh.app, "new.person")
    assert (person.firm_id, person.role, person.name) == (firms_x(fresh), "consultant", "新人 花子")
    assert sign_in(fresh, "new.person@example.com", "a long enough password") == 302
    assert "new.person@example.com" in visible_text(ada.get("/firm/accounts"))


def firms_x(firms: Firms) -> int:
    return account(firms.app, "ada").firm_id


def test_an_account_added_without_a_password_cannot_sign_in_until_it_has_one(fresh: Firms) -> None:
    ada = fresh["ada"]
    created = post_form(
        ada,
        "/firm/accounts",
        "/firm/accounts",
        {"email": "nopass@example.com", "name": "No Pass", "role": "admin", "password": ""},
    )
    assert created.status_code == 302
    shown = visible_text(ada.get(created.location))
    assert (
        translate(
            fresh.app,
            "The account for %(email)s has been created without a password: issue a reset link "
            "from its row so they can choose one.",
        ).replace("%(email)s", "nopass@example.com")
        in shown
    )
    assert account(fresh.app, "nopass").role == "admin"
    assert sign_in(fresh, "nopass@example.com", "") != 302 and sign_in(fresh, "nopass@example.com", PASSWORD) == 401


def test_the_account_row_issues_a_reset_link_that_lets_them_choose_a_password(fresh: Firms) -> None:
    """With no mail server: the admin's button on the row shows the link once; it opens the password page."""
    ada = fresh["ada"]
    created = post_form(
        ada, "/firm/accounts", "/firm/accounts",
        {"email": "newbie@example.com", "name": "New Bie", "role": "consultant", "password": ""},
    )  # fmt: skip
    assert created.status_code == 302
    newbie = account(fresh.app, "newbie")
    page = text(ada.get("/firm/accounts"))
    assert f'action="/accounts/{newbie.id}/reset-link"' in page
    issued = post_form(ada, "/firm/accounts", f"/accounts/{newbie.id}/reset-link", {})
    assert issued.status_code == 200
    link = re.search(r"https?://[^\s\"<]+/reset/[\w-]+", text(issued))
    assert link, visible_text(issued)[:500]
    assert 'href="/firm/accounts"' in text(issued)  # back to where the admin came from
    visitor = fresh.app.test_client()
    form = visitor.get(link.group(0))
    assert form.status_code == 200 and 'type="password"' in text(form)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "fay@example.com"}, "email", "An account with this email already exists."),
        ({"email": "zed@example.com"}, "email", "An account with this email already exists."),  # another firm's
        ({"email": "not-an-address"}, "email", "Please enter an email address like name@example.com."),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "<b>x</b>"}, "name", "Please leave out < and >."),
        ({"role": "owner"}, "role", "Not a valid choice."),
        ({"password": "short"}, "password", "Field must be between %(min)d and %(max)d characters long."),
    ],
)
def test_a_wrong_new_account_is_refused_with_the_field_named(
    firms: Firms, data: dict[str, str], field: str, message: str
) -> None:
    before = len(all_accounts(firms))
    posted = {"email": "someone@example.com", "name": "Someone", "role": "consultant", "password": "", **data}
    refused = post_form(firms["ada"], "/firm/accounts", "/firm/accounts", posted)
    assert refused.status_code == 422
    expected = translate(firms.app, message).replace("%(min)d", "10").replace("%(max)d", "200")
    assert field_errors(refused)[field] == expected
    assert parse(refused).values.get("name", "") == posted["name"]  # what was typed is kept
    assert len(all_accounts(firms)) == before


def all_accounts(firms: Firms) -> list[str]:
    with firms.app.app_context():
        return list(db.session.execute(select(Consultant.email)).scalars())


def test_a_role_changes_but_the_last_active_admin_stays_an_admin(fresh: Firms) -> None:
    ada = fresh["ada"]
    url = f"/firm/accounts/{fresh.ids['ada']}/role"
    refused = post_form(ada, "/firm/accounts", url, {"role": "consultant"})
    assert refused.status_code == 422
    assert translate(
        fresh.app, "The firm needs at least one active admin: make another account an admin first."
    ) in error_summary(refused)
    assert account(fresh.app, "ada").role == "admin"
    refused = post_form(ada, "/firm/accounts", f"/firm/accounts/{fresh.ids['ada']}/deactivate", {})
    assert refused.status_code == 422 and account(fresh.app, "ada").is_active

    promoted = post_form(ada, "/firm/accounts", f"/firm/accounts/{fresh.ids['fay']}/role", {"role": "admin"})
    assert promoted.status_code == 302 and account(fresh.app, "fay").role == "admin"
    assert fresh["fay"].get("/firm/accounts").status_code == 200  # her open session sees the firm's pages now
    demoted = post_form(ada, "/firm/accounts", url, {"role": "consultant"})  # Fay is an admin: Ada may step down
    assert demoted.status_code == 302 and account(fresh.app, "ada").role == "consultant"
    assert ada.get("/firm/accounts").status_code == 403
    with fresh.app.app_context():
        actions = [e.action for e in db.session.execute(select(AuditEntry).filter_by(object_type="account")).scalars()]
    assert actions.count("account.role") == 2


def test_a_deactivated_account_is_signed_out_at_once_and_cannot_sign_in(fresh: Firms) -> None:
    nell = fresh["nell"]
    assert nell.get("/clients").status_code == 200  # signed in, with an open session
    other_browser = fresh.app.test_client()
    assert (
        other_browser.post(
            "/login",
            data={"csrf_token": fetch_csrf(other_browser, "/login"), "email": "nell@example.com", "password": PASSWORD},
        ).status_code
        == 302
    )
    deactivated = post_form(fresh["ada"], "/firm/accounts", f"/firm/accounts/{fresh.ids['nell']}/deactivate", {})
    assert deactivated.status_code == 302
    for browser in (nell, other_browser):
        response = browser.get("/clients")
        assert response.status_code == 302 and response.location.startswith("/login"), response.status_code
    with fresh.app.app_context():
        open_sessions = (
            db.session.execute(select(LoginSession).filter_by(consultant_id=fresh.ids["nell"], ended_at=None))
            .scalars()
            .all()
        )
    assert open_sessions == []
    assert sign_in(fresh, "nell@example.com") == 401
    page = text(fresh["ada"].get("/firm/accounts")).split(f'id="account-{fresh.ids["nell"]}"')[1].split("</tr>")[0]
    assert translate(fresh.app, "deactivated") in visible_text(page) and "/reactivate" in page

    reactivated = post_form(fresh["ada"], "/firm/accounts", f"/firm/accounts/{fresh.ids['nell']}/reactivate", {})
    assert reactivated.status_code == 302
    assert sign_in(fresh, "nell@example.com") == 302
    assert nell.get("/clients").status_code == 302  # the ended session stays ended


def test_a_deactivated_reviewer_reaches_the_shared_client_no_more(fresh: Firms) -> None:
    rex = fresh["rex"]
    assert rex.get(f"/clients/{fresh.client_id}").status_code == 200
    post_form(fresh["ada"], "/firm/accounts", f"/firm/accounts/{fresh.ids['rex']}/deactivate", {})
    response = rex.get(f"/clients/{fresh.client_id}")
    assert response.status_code == 302 and X_CLIENT not in text(response)


# --- handing a leaver's clients over ------------------------------------------------------------------------------


def owners(firms: Firms) -> dict[str, object]:
    with firms.app.app_context():
        return {
            "clients": sorted((c.id, c.consultant_id) for c in db.session.execute(select(Client)).scalars()),
            "rounds": sorted((e.id, e.consultant_id) for e in db.session.execute(select(Engagement)).scalars()),
            "shares": sorted(
                (s.client_id, s.consultant_id, s.role) for s in db.session.execute(select(ClientShare)).scalars()
            ),
        }


def test_a_leavers_clients_go_to_a_colleague_after_a_confirmation(fresh: Firms) -> None:
    ada = fresh["ada"]
    archived = post_form(ada, "/clients", "/clients", {"name": "Archived Client KK"})
    archived_id = int(archived.location.rsplit("/", 1)[1])
    post_form(ada, f"/clients/{archived_id}", f"/clients/{archived_id}/archive", {"archived": "1"})
    before = owners(fresh)
    form = ada.get(f"/firm/transfer?leaver={fresh.ids['ada']}")
    assert form.status_code == 200
    assert f'<option selected value="{fresh.ids["ada"]}"' in text(
        form
    ) or f'value="{fresh.ids["ada"]}" selected' in text(form)
    data = {"leaver": str(fresh.ids["ada"]), "receiver": str(fresh.ids["fay"])}
    summary = post_form(ada, "/firm/transfer", "/firm/transfer", data)
    assert summary.status_code == 200
    assert X_CLIENT in visible_text(summary) and "Archived Client KK" in visible_text(summary)
    assert owners(fresh) == before, "something moved before the confirmation"

    done = post_form(ada, "/firm/transfer", "/firm/transfer", {**data, "confirmed": "1"})
    assert done.status_code == 302
    after = owners(fresh)
    assert {owner for _id, owner in after["clients"]} == {fresh.ids["fay"]}  # type: ignore[attr-defined]
    assert {owner for _id, owner in after["rounds"]} == {fresh.ids["fay"]}  # type: ignore[attr-defined]
    assert after["shares"] == [
        (fresh.client_id, fresh.ids["rex"], "reviewer"),
        (fresh.client_id, fresh.ids["zed"], "facilitator"),
    ]
    fay = fresh["fay"]
    page = fay.get(f"/clients/{fresh.client_id}")
    assert page.status_code == 200 and 'id="share-form"' in text(page)  # she owns it: she shares it
    assert translate(fresh.app, "Client handed over to another consultant") in visible_text(page)
    assert fresh["rex"].get(f"/clients/{fresh.client_id}").status_code == 200  # the reviewer keeps his access
    assert ada.get(f"/clients/{fresh.client_id}").status_code == 404  # Ada no longer has it
    with fresh.app.app_context():
        moved = db.session.execute(select(AuditEntry).filter_by(action="client.transfer")).scalars().all()
    assert sorted(e.object_id for e in moved) == sorted([fresh.client_id, archived_id])
    assert all(e.consultant_id == fresh.ids["ada"] for e in moved)


@pytest.mark.parametrize(
    ("leaver", "receiver", "field", "message"),
    [
        ("fay", "fay", "receiver", "Please choose a colleague other than the person leaving."),
        ("fay", "rex", "leaver", "%(name)s has no clients to hand over."),
        ("ada", "zed", "receiver", "Not a valid choice."),  # another firm's account
    ],
)
def test_a_wrong_handover_is_refused_with_the_field_named(
    firms: Firms, leaver: str, receiver: str, field: str, message: str
) -> None:
    ada = firms["ada"]
    before = owners(firms)
    data = {"leaver": str(firms.ids[leaver]), "receiver": str(firms.ids[receiver]), "confirmed": "1"}
    refused = post_form(ada, "/firm/transfer", "/firm/transfer", data)
    assert refused.status_code == 422
    assert field_errors(refused)[field] == translate(firms.app, message).replace("%(name)s", "Fay")
    assert owners(firms) == before


def test_a_deactivated_colleague_receives_no_clients(fresh: Firms) -> None:
    ada = fresh["ada"]
    post_form(ada, "/firm/accounts", f"/firm/accounts/{fresh.ids['nell']}/deactivate", {})
    before = owners(fresh)
    data = {"leaver": str(fresh.ids["ada"]), "receiver": str(fresh.ids["nell"]), "confirmed": "1"}
    refused = post_form(ada, "/firm/transfer", "/firm/transfer", data)
    assert refused.status_code == 422
    assert field_errors(refused)["receiver"] == translate(fresh.app, "Not a valid choice.")
    assert owners(fresh) == before
    form = text(ada.get("/firm/transfer"))
    receivers = form.split('id="receiver"')[1].split("</select>")[0]
    assert f'value="{fresh.ids["nell"]}"' not in receivers
    leavers = form.split('id="leaver"')[1].split("</select>")[0]
    assert f'value="{fresh.ids["nell"]}"' in leavers  # a leaver's clients can still be handed over


# --- the firm's look ----------------------------------------------------------------------------------------------


def look_of(firms: Firms) -> tuple[str, str, bytes | None, str]:
    with firms.app.app_context():
        firm = db.session.get(Firm, firms_x(firms))
        assert firm is not None
        return firm.name, firm.accent_color, firm.logo, firm.logo_type


def post_look(firms: Firms, data: dict[str, object]) -> TestResponse:
    """Send the look form (the body encoded in memory: werkzeug's test client would spool a large one to a
    temporary file it never closes)."""
    ada = firms["ada"]
    fields: dict[str, object] = {"csrf_token": fetch_csrf(ada, "/firm/look")}
    for name, value in data.items():
        if isinstance(value, tuple):
            stream, filename = value
            value = FileStorage(stream=stream, filename=filename, content_type="application/octet-stream")
        fields[name] = value
    boundary, body = encode_multipart(fields)
    return ada.post("/firm/look", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_the_firms_look_reaches_its_consultants_pages_and_no_one_elses(fresh: Firms) -> None:
    logo = image("PNG")
    saved = post_look(
        fresh, {"name": "Xenon Partners 合同会社", "accent_color": "#0A5D4A", "logo": (io.BytesIO(logo), "logo.png")}
    )
    assert saved.status_code == 302
    assert look_of(fresh) == ("Xenon Partners 合同会社", "#0a5d4a", logo, "image/png")
    for who in ("ada", "rex"):
        page = fresh[who].get("/clients")
        body = text(page)
        assert '<link rel="stylesheet" href="/brand/style.css">' in body, who
        assert "Xenon Partners 合同会社" in visible_text(text(page).split("</header>")[0]), who
        assert 'class="firm-logo" src="/brand/logo"' in body, who
        assert parse(page).handler_attributes == [] and parse(page).style_elements == 0, who  # nothing inline
        assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        css = fresh[who].get("/brand/style.css")
        assert css.status_code == 200 and css.mimetype == "text/css"
        assert css.get_data(as_text=True).strip() == ":root { --accent: #0a5d4a; }"
        served = fresh[who].get("/brand/logo")
        assert served.get_data() == logo and served.mimetype == "image/png"
        assert served.headers["Cache-Control"] == "private, no-cache" and served.headers["X-Content-Type-Options"]
        again = fresh[who].get("/brand/logo", headers={"If-None-Match": served.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
    for who in ("zed", "yuri"):  # another firm: its own (unset) look, never this one's
        page = text(fresh[who].get("/clients"))
        assert "Xenon Partners" not in page and "/brand/style.css" not in page and "/brand/logo" not in page
        assert fresh[who].get("/brand/logo").status_code == 404
        assert fresh[who].get("/brand/style.css").get_data() == b""
    anonymous = fresh.app.test_client()
    assert anonymous.get("/brand/logo").status_code == 404 and anonymous.get("/brand/style.css").status_code == 404
    assert "/brand/" not in text(anonymous.get("/"))


def test_the_logo_can_be_replaced_kept_and_removed(fresh: Firms) -> None:
    first, second = image("PNG"), image("JPEG", (300, 100), "#123456")
    post_look(fresh, {"name": "X", "accent_color": "", "logo": (io.BytesIO(first), "a.png")})
    post_look(fresh, {"name": "X", "accent_color": ""})  # no file chosen: the logo stays
    assert look_of(fresh)[2] == first
    post_look(fresh, {"name": "X", "accent_color": "", "logo": (io.BytesIO(second), "b.jpg")})
    assert look_of(fresh)[2:] == (second, "image/jpeg")
    assert "/brand/style.css" not in text(fresh["ada"].get("/clients"))  # no colour set: the app's own
    removed = post_form(fresh["ada"], "/firm/look", "/firm/look/logo/remove", {})
    assert removed.status_code == 302 and look_of(fresh)[2:] == (None, "")
    assert "/brand/logo" not in text(fresh["ada"].get("/clients"))


SIDES = "The logo is %(width)s × %(height)s pixels: each side must be between %(low)s and %(high)s."


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (100, 40)).save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"accent_color": "green"}, "accent_color", "Please enter a colour as # and six hex digits, like #1f4e79."),
        ({"accent_color": "#12345"}, "accent_color", "Please enter a colour as # and six hex digits, like #1f4e79."),
        (
            {"accent_color": "#1f4e79;}body{x:y"},
            "accent_color",
            "Please enter a colour as # and six hex digits, like #1f4e79.",
        ),
        (
            {"accent_color": "#ffff00"},
            "accent_color",
            (
                "This colour is too light: white text on it has a contrast of "
                "%(ratio)s:1, and at least %(needed)s:1 is needed. Please choose a darker shade.",
                {"ratio": "1.1", "needed": "4.5"},
            ),
        ),
        ({"name": "<script>x</script>"}, "name", "Please leave out < and >."),
        ({"logo": (io.BytesIO(gif()), "logo.png")}, "logo", "The logo must be a PNG or JPEG image."),
        (
            {"logo": (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "logo.png")},
            "logo",
            "The file is not a PNG or JPEG image Readiness can read.",
        ),
        (
            {"logo": (io.BytesIO(image("PNG")[:200]), "cut.png")},
            "logo",
            "The file is not a PNG or JPEG image Readiness can read.",
        ),
        ({"logo": (io.BytesIO(b""), "empty.png")}, "logo", "The file is empty."),
        ({"logo": (io.BytesIO(image("PNG", (8, 8))), "tiny.png")}, "logo", (SIDES, {"width": 8, "height": 8})),
        ({"logo": (io.BytesIO(image("PNG", (5000, 20))), "wide.png")}, "logo", (SIDES, {"width": 5000, "height": 20})),
        (
            {"logo": (io.BytesIO(b"\x89PNG" + b"0" * 1_000_001), "big.png")},
            "logo",
            "The logo is larger than 1 MB. Please upload a smaller PNG or JPEG.",
        ),
    ],
)
def test_a_wrong_look_is_refused_with_the_field_named_and_saves_nothing(
    firms: Firms, data: dict[str, object], field: str, message: str | tuple[str, dict[str, object]]
) -> None:
    before = look_of(firms)
    refused = post_look(firms, {"name": "Typed Name", "accent_color": "#1f4e79", **data})
    assert refused.status_code == 422
    msgid, values = message if isinstance(message, tuple) else (message, {})
    expected = translate(firms.app, msgid) % {"low": 16, "high": 4000, **values}
    assert field_errors(refused)[field] == expected
    if field != "name":
        assert parse(refused).values["name"] == "Typed Name"  # what was typed is kept
    assert look_of(firms) == before


def test_the_darkest_grey_that_reads_on_white_is_taken_and_a_lighter_one_refused(fresh: Firms) -> None:
    assert post_look(fresh, {"name": "", "accent_color": "#777777"}).status_code == 422  # 4.48:1
    assert post_look(fresh, {"name": "", "accent_color": "#767676"}).status_code == 302  # 4.54:1
    assert look_of(fresh)[1] == "#767676"


# --- the command line ---------------------------------------------------------------------------------------------


def test_the_cli_starts_a_firm_joins_it_and_makes_admins_as_the_readme_says(fresh: Firms) -> None:
    def create(*args: str) -> str:
        with fresh.app.app_context():
            result = fresh.app.test_cli_runner().invoke(
                args=["create-consultant", *args, "--password", "a long enough password"]
            )
        assert result.exit_code == 0, result.output
        return result.output.strip()

    assert create("boss@example.com", "--firm", "Brand New Firm") == "created admin boss@example.com"
    assert create("sato@example.com", "--firm", "Brand New Firm") == "created consultant sato@example.com"
    assert create("ito@example.com", "--firm", "Brand New Firm", "--admin") == "created admin ito@example.com"
    assert create("joins@example.com", "--firm", "Xenon Partners") == "created consultant joins@example.com"
    assert create("alone@example.com") == "created admin alone@example.com"  # a firm of its own
    firms_of = {who: account(fresh.app, who).firm_id for who in ("boss", "sato", "ito", "joins", "alone", "ada")}
    assert firms_of["boss"] == firms_of["sato"] == firms_of["ito"]
    assert firms_of["joins"] == firms_of["ada"]
    assert len(set(firms_of.values())) == 3
    assert "joins@example.com" in text(fresh["ada"].get("/firm/accounts"))
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "--firm" in readme and "--admin" in readme and "created consultant EMAIL" in readme


@pytest.mark.parametrize(
    ("args", "named"),
    [(["long@example.com", "--name", "長" * 201], "name"), ([("x" * 250) + "@example.com"], "email")],
)
def test_the_cli_refuses_a_name_or_email_too_long_to_store_and_makes_nothing(
    fresh: Firms, args: list[str], named: str
) -> None:
    """SQLite stored a name of any length; PostgreSQL refuses one longer than its column, and the command ended in
    a traceback. Now it says which value is too long, on every database."""
    with fresh.app.app_context():
        before = len(db.session.execute(db.select(Consultant)).scalars().all())
        result = fresh.app.test_cli_runner().invoke(
            args=["create-consultant", *args, "--password", "a long enough password"]
        )
        assert result.exit_code == 1 and f"the {named} is too long" in result.output, result.output
        assert isinstance(result.exception, SystemExit)  # a message and exit status 1, not an error escaping
        db.session.rollback()
        assert len(db.session.execute(db.select(Consultant)).scalars().all()) == before


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_truncated_logo_is_refused_even_after_weasyprint_made_pillow_lenient(firms: Firms, kind: str) -> None:
    import weasyprint  # noqa: F401 - importing it sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    noisy = Image.effect_noise((400, 300), 80).convert("RGB")  # noise: a file long enough to cut in the pixels
    out = io.BytesIO()
    noisy.save(out, kind)
    cut = out.getvalue()[: len(out.getvalue()) // 2]
    refused = post_look(firms, {"name": "", "accent_color": "", "logo": (io.BytesIO(cut), f"cut.{kind.lower()}")})
    assert refused.status_code == 422
    assert field_errors(refused)["logo"] == translate(
        firms.app, "The file is not a PNG or JPEG image Readiness can read."
    )
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it


def test_a_cached_questionnaire_page_never_shows_one_firms_header_to_another(fresh: Firms) -> None:
    """The survey page is cached per revision; the header in it is the viewer's: firm X's look and admin link
    must not be served to a consultant of firm Y who opens the same link."""
    saved = post_look(fresh, {"name": "Xenon Look Only", "accent_color": "#0a5d4a"})
    assert saved.status_code == 302
    survey = text(fresh["ada"].get(f"/engagements/{fresh.engagement_id}")).split("/a/", 1)[1].split("/", 1)[0]
    url = f"/a/{survey}/profile"
    seen = {who: text(fresh[who].get(url)) for who in ("ada", "zed", "fay")}
    assert "Xenon Look Only" in seen["ada"] and 'href="/firm/accounts"' in seen["ada"]
    assert "Xenon Look Only" not in seen["zed"] and "/brand/style.css" not in seen["zed"]
    assert 'href="/firm/accounts"' not in seen["zed"] and 'href="/firm/accounts"' not in seen["fay"]
    assert "Xenon Look Only" in seen["fay"]  # Fay is of firm X: its look, without the admin link
    post_look(fresh, {"name": "Xenon Renamed", "accent_color": "#0a5d4a"})
    assert "Xenon Renamed" in text(fresh["ada"].get(url))  # a new look: not the page cached with the old one
