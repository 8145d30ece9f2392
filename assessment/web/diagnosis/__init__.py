"""The self-service diagnosis: a manager answers alone, without an account, behind a private link.

``questionnaire`` shows and saves the pages, ``results`` the review, the results and the plan's start date,
``files`` the PDF, the assessment file download and the import, ``replace`` retiring an earlier link after an
import, ``reassessment`` the baseline a re-assessment is compared with.
"""

from __future__ import annotations

from assessment.web.diagnosis import files, questionnaire, reassessment, replace, results
from assessment.web.diagnosis.blueprint import bp

__all__ = ["bp", "files", "questionnaire", "reassessment", "replace", "results"]
