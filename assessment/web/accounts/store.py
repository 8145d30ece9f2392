"""The consultants' accounts: creating one (in a firm), checking a sign-in, changing a password."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from assessment.web.models import ROLES, Consultant, Firm, db

MIN_PASSWORD = 10
EMAIL_LENGTH = 254  # the columns' lengths: PostgreSQL refuses a longer value (SQLite would keep it)
NAME_LENGTH = 200
# A hash to check against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password``."""
    return generate_password_hash(password, method="scrypt")


def create_consultant(
    email: str, password: str, name: str = "", firm: Firm | None = None, role: str | None = None
) -> Consultant:
    """Create an account; the email is stored lower-case and must be new. Without ``firm`` the account starts a
    firm of its own and is its admin; in a given firm it is a consultant unless ``role`` says otherwise."""
    email, name = email.strip().lower(), name.strip()
    if len(email) > EMAIL_LENGTH:
        raise ValueError(f"the email is too long (at most {EMAIL_LENGTH} characters)")
    if len(name) > NAME_LENGTH:
        raise ValueError(f"the name is too long (at most {NAME_LENGTH} characters)")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    if role is not None and role not in ROLES:
        raise ValueError(f"the role must be one of {', '.join(ROLES)}")
    if account_for(email) is not None:
        raise ValueError(f"an account for {email} already exists")
    if firm is None:
        firm = Firm(name="")
        db.session.add(firm)
        db.session.flush()
        role = role or "admin"
    consultant = Consultant(
        email=email, name=name, password_hash=hash_password(password), firm_id=firm.id,
        role=role or "consultant",
    )  # fmt: skip
    db.session.add(consultant)
    db.session.commit()
    return consultant


def account_for(email: str) -> Consultant | None:
    """The account with this email (compared lower-case), if any."""
    if not _storable(email):
        return None
    found: Consultant | None = db.session.execute(
        db.select(Consultant).filter_by(email=email.strip().lower())
    ).scalar_one_or_none()
    return found


def firm_named(name: str) -> Firm | None:
    """The firm with exactly this name, if any (the oldest, should two share it)."""
    return db.session.execute(db.select(Firm).filter_by(name=name.strip()).order_by(Firm.id)).scalars().first()


def authenticate(email: str, password: str) -> Consultant | None:
    """The account ``email`` names if ``password`` is its password; an unknown email takes as long to refuse."""
    email = email.strip().lower()
    consultant = None
    if _storable(email):
        consultant = db.session.execute(db.select(Consultant).filter_by(email=email)).scalar_one_or_none()
    if consultant is None or not consultant.is_active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return consultant if check_password_hash(consultant.password_hash, password) else None


def _storable(email: str) -> bool:
    """Whether an account could have this email: no control characters. PostgreSQL refuses a NUL in any text
    parameter (DataError), where SQLite just finds nothing: such an email is simply no account's."""
    return email.isprintable()


def replace_password(consultant: Consultant, current: str, new: str) -> bool:
    """Set a new password if ``current`` is right; every sign-in made with the old one stops being valid."""
    if not check_password_hash(consultant.password_hash, current):
        return False
    consultant.password_hash = hash_password(new)
    consultant.session_version += 1
    db.session.commit()
    return True
