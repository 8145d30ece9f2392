"""Readiness: how ready a B2B company is to run THE MODEL, and the plan to get there.

The public API of the core::

    content = load_content()
    assessment = parse_assessment(text, content)
    diagnosis = diagnose(assessment, content)
"""

from assessment.content.loader import load_content
from assessment.engine.assessment_file import Assessment, parse_assessment
from assessment.engine.diagnosis import Diagnosis, diagnose
from assessment.errors import AssessmentError, ContentError, ReadinessError

__all__ = [
    "Assessment",
    "AssessmentError",
    "ContentError",
    "Diagnosis",
    "ReadinessError",
    "diagnose",
    "load_content",
    "parse_assessment",
]
