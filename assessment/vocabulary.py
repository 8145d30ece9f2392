"""The closed sets of words the code itself branches on, each defined once.

Languages; checklist answers with their order, credit and level; staffing and tool statuses; severities;
funnel stages; where a metric falls against its benchmark and whether the funnel figures can be true; and
the operators and combinators of the condition language. The content files give these words their labels
(the content checks require one for each) but cannot add to them: a new answer or operator needs code.

The bottom of the core: this module imports nothing of the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Languages
Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@dataclass(frozen=True)
class Text:
    """A sentence in Japanese and English."""

    ja: str
    en: str

    def get(self, lang: Lang) -> str:
        """Return the text in ``lang``, falling back to Japanese."""
        return self.en if lang == "en" else self.ja


# Checklist answers, in the order they are offered
Answer = Literal["yes", "partial", "no", "unknown"]
ANSWERS: tuple[Answer, ...] = ("yes", "partial", "no", "unknown")
# the share of an item's weight an answer earns in the score
ANSWER_CREDIT: dict[str, float] = {"yes": 1.0, "partial": 0.5, "no": 0.0, "unknown": 0.0}
# how far in place a definite answer says a practice is (no < partial < yes); "unknown" has no level
ANSWER_LEVEL: dict[str, int] = {"no": 0, "partial": 1, "yes": 2}
# a respondent who has not answered an item: never an answer (no credit, no level), but shown apart from "don't
# know" wherever a workshop's answers are counted or a department's view is shown
NOT_ANSWERED = "unanswered"

# How a department is staffed, and where a tool stands (survey answers)
Staffing = Literal["dedicated", "shared", "none"]
STAFFING: tuple[Staffing, ...] = ("dedicated", "shared", "none")
ToolStatus = Literal["none", "planned", "in_use"]
TOOL_STATUSES: tuple[ToolStatus, ...] = ("none", "planned", "in_use")

# How bad a failure pattern is, most severe first
Severity = Literal["high", "medium", "low"]
SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}

# The funnel's volume stages, top to bottom (each the id of a survey figure)
FUNNEL_STAGES = ("leads", "mqls", "sqls", "opportunities", "wins")
# where a metric falls against its benchmark range (the status.<metric> facts)
BENCHMARK_STATUSES = ("below", "within", "above")
# whether the funnel figures can be true (the quality.funnel fact)
FunnelQuality = Literal["ok", "questionable", "invalid"]
FUNNEL_QUALITIES: tuple[FunnelQuality, ...] = ("ok", "questionable", "invalid")

# The condition language: comparison operators and the combinators that join conditions
ORDER_OPS = ("lt", "le", "gt", "ge")
EQUALITY_OPS = ("eq", "ne")
SET_OPS = ("in", "not_in")
OPERATORS = (*EQUALITY_OPS, *ORDER_OPS, *SET_OPS, "present")
COMBINATORS = ("all", "any", "not", "unless", "at_least")

# CRM exports (issue 18): what a row of an export is, and the fields read from one. The column headers each
# vendor and language gives these fields are content (questionnaires/crm_columns.yaml); the fields are code.
CrmRecords = Literal["contacts", "deals"]
CRM_RECORDS: tuple[CrmRecords, ...] = ("contacts", "deals")
# a contact's (or lead's) funnel stages, in order, each the date the record reached it
CRM_STAGE_DATES = ("lead_date", "mql_date", "sql_date", "opportunity_date", "customer_date")
CRM_CONTACT_FIELDS = ("record_id", "email", "created", *CRM_STAGE_DATES, "first_contact", "churn_date", "lead_status")
CRM_DEAL_FIELDS = ("record_id", "name", "stage", "amount", "created", "close_date", "won", "closed")
# a date the order of whose day and month is not written (03/04/2026): decided per file or by the mapping
DATE_ORDERS = ("month_first", "day_first")
