"""The self-service diagnosis: a manager answers alone, without an account, behind a private link.

``questionnaire`` shows and saves the pages, ``results`` the review, the results and the plan's start date,
``files`` the PDF, the assessment file download and the import.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("diagnosis", __name__)

from assessment.web.diagnosis import files, questionnaire, results  # noqa: E402, F401 - registers the routes
