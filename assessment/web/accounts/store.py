"""The consultants' accounts: creating one, checking a sign-in, changing a password."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from assessment.web.models import Consultant, db

MIN_PASSWORD = 10
# A hash to check against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password``."""
    return generate_password_hash(password, method="scrypt")


def create_consultant(email: str, password: str, name: str = "") -> Consultant:
    """Create an account; the email is stored lower-case and must be new."""
    email = email.strip().lower()
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    if db.session.execute(db.select(Consultant).filter_by(email=email)).scalar_one_or_none() is not None:
        raise ValueError(f"an account for {email} already exists")
    consultant = Consultant(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(consultant)
    db.session.commit()
    return consultant


def authenticate(email: str, password: str) -> Consultant | None:
    """The account ``email`` names if ``password`` is its password; an unknown email takes as long to refuse."""
    email = email.strip().lower()
    consultant = db.session.execute(db.select(Consultant).filter_by(email=email)).scalar_one_or_none()
    if consultant is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return consultant if check_password_hash(consultant.password_hash, password) else None


def replace_password(consultant: Consultant, current: str, new: str) -> bool:
    """Set a new password if ``current`` is right; every sign-in made with the old one stops being valid."""
    if not check_password_hash(consultant.password_hash, current):
        return False
    consultant.password_hash = hash_password(new)
    consultant.session_version += 1
    db.session.commit()
    return True
