"""One error hierarchy for the core. The CLI and the web layer map these to exit 2 / HTTP 400."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.messages import Notice
from assessment.vocabulary import Lang


class ReadinessError(Exception):
    """Base of every error the core raises on purpose."""


@dataclass(frozen=True)
class ContentProblem:
    """One problem in a content file: which file, which entry, which field, and what is wrong."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = ".".join(part for part in (self.entry, self.field) if part).replace(".[", "[")
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


class ContentError(ReadinessError):
    """The content files are invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class InputError(ReadinessError):
    """A client's input is invalid; ``problems`` lists every problem with where it is."""

    def __init__(self, problems: list[Notice]) -> None:
        super().__init__("\n".join(p.render("en") for p in problems))
        self.problems = problems

    def messages(self, lang: Lang = "ja") -> list[str]:
        """Return every problem as ``path: message`` in ``lang``."""
        return [p.render(lang) for p in self.problems]


class AssessmentError(InputError):
    """An assessment file is invalid; each problem's path is its place in the file (``survey.funnel.wins``)."""


class CrmExportError(InputError):
    """A CRM export, or the mapping of its headers, cannot be read; each problem names the file, and the row and
    column where it is in one."""
