"""The Flask extensions the app factory wires in (each made once, bound to the app in ``create_app``)."""

from __future__ import annotations

from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
babel = Babel()
