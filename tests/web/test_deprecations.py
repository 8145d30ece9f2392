"""The app must not rely on deprecated library behaviour: the project runs its tests with warnings as errors.

This module deliberately has no warning filter (the others ignore one WTForms message, see tests/web/__init__.py).
"""

from __future__ import annotations

import warnings

from flask.testing import FlaskClient

from tests.web import PAGE_IDS, start


def test_questionnaire_pages_raise_no_deprecation_warning(nocsrf_client: FlaskClient) -> None:
    """assessment/web/forms.py builds RadioField(choices=[(c, c), ...]); WTForms 3.3 deprecates tuple
    choices (removed in 3.4, which the pin WTForms<4 allows), so every choice page warns, and under
    ``filterwarnings = error`` crashes."""
    base = start(nocsrf_client)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        statuses = {page_id: nocsrf_client.get(f"{base}/{page_id}").status_code for page_id in PAGE_IDS}
        nocsrf_client.post(f"{base}/profile", data={"survey__tools__spreadsheet": "true"})
    assert statuses == dict.fromkeys(PAGE_IDS, 200)
    deprecations = sorted({str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)})
    assert deprecations == []
