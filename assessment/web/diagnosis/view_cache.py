"""The results page's diagnosis and view, kept per worker for answers already seen.

Diagnosing and building the view is most of the results page's time (about 7 ms of 7.4 on the benchmark VM).
Both are pure functions of the answers document (with the team's views merged in), the plan's start, the
content and the language, so they are kept in a small least-recently-used store keyed by exactly those: any
saved change (an answer, a colleague's answer, the start date, a content edit) makes a new key and a fresh
diagnosis. Nothing is shared between workers or written anywhere; a restart starts empty.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")
SIZE = 128  # entries per worker: a View is a few hundred kB at most
_LOCK = threading.Lock()


def key_of(*parts: Any) -> str:
    """A digest of ``parts`` (documents as canonical JSON): equal inputs, equal key."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=_plain, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def _plain(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not part of a results key: {type(value).__name__}")


def remembered(kind: str, key: str, compute: Callable[[], T]) -> T:
    """The value stored under (``kind``, ``key``), computing and keeping it (the least recent is dropped)."""
    store: OrderedDict[tuple[str, str], Any] = current_app.extensions.setdefault("readiness.results", OrderedDict())
    with _LOCK:
        if (kind, key) in store:
            store.move_to_end((kind, key))
            return store[(kind, key)]  # type: ignore[no-any-return]
    value = compute()
    with _LOCK:
        store[(kind, key)] = value
        while len(store) > SIZE:
            store.popitem(last=False)
    return value
