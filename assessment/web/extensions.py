"""The Flask extensions the app factory wires in (each made once, bound to the app in ``create_app``)."""

from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

from assessment.web.catalogue import Babel

csrf = CSRFProtect()
babel = Babel()
