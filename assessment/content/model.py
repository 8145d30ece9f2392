"""The content a consultant edits, as typed, immutable objects.

These dataclasses are what the rest of the core sees. They are filled from the YAML files under
``questionnaires/`` by :mod:`assessment.content.loader`, which validates them with pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assessment.content.conditions import Condition
from assessment.vocabulary import Severity, Text


@dataclass(frozen=True)
class Axis:
    """One axis of the readiness checklist (organization, tools, data)."""

    id: str
    title: Text


@dataclass(frozen=True)
class ChecklistItem:
    """One readiness question, answered yes / partial / no / unknown."""

    id: str
    axis: str
    weight: float
    text: Text
    hint: Text


@dataclass(frozen=True)
class ScoreBand:
    """What an overall score means: a title and a one-line verdict for the scores under ``below``."""

    title: Text
    verdict: Text
    tone: Literal["concern", "partial", "ready"]
    below: float | None = None  # None: every score left (the last band)


@dataclass(frozen=True)
class Checklist:
    """The readiness checklist: axes and items in the order they are asked, and the score bands."""

    axes: tuple[Axis, ...]
    items: tuple[ChecklistItem, ...]
    answer_labels: dict[str, Text] = field(default_factory=dict)
    bands: tuple[ScoreBand, ...] = ()

    def band(self, score: float) -> ScoreBand | None:
        """The band ``score`` falls in (None when the checklist defines no bands)."""
        return next((b for b in self.bands if b.below is None or score < b.below), None)

    def item(self, item_id: str) -> ChecklistItem:
        """Return the item with ``item_id``."""
        return next(i for i in self.items if i.id == item_id)


@dataclass(frozen=True)
class Department:
    """One of THE MODEL's four departments, with its role and KPIs for the report."""

    id: str
    title: Text
    role: Text
    output: Text
    kpis: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Role:
    """Where a workshop respondent may come from besides the departments (management, other)."""

    id: str
    title: Text


@dataclass(frozen=True)
class Owner:
    """Who can own a roadmap task: a department, management or sales operations.

    ``covered_by`` names the owner who takes the work on while this department has nobody
    (dept.<id> is "none"): before inside sales stands alone, field sales does its work.
    ``min_employees``: below this size the function does not exist (a small firm has no RevOps team), and
    ``covered_by`` takes its tasks.
    """

    id: str
    title: Text
    covered_by: str | None = None
    min_employees: int | None = None


@dataclass(frozen=True)
class FunnelFigure:
    """A monthly figure of the current-state survey (all optional in an assessment)."""

    id: str
    label: Text
    unit: Literal["count", "yen", "percent", "hours", "days", "score", "people"]
    min: float | None = None
    max: float | None = None
    integer: bool = False


@dataclass(frozen=True)
class ToolKind:
    """A tool category asked about in the survey (MA, SFA/CRM)."""

    id: str
    title: Text
    products: tuple[str, ...] = ()


@dataclass(frozen=True)
class Survey:
    """The current-state process survey: departments, tools and funnel figures."""

    departments: tuple[Department, ...]
    owners: tuple[Owner, ...]
    tools: tuple[ToolKind, ...]
    funnel: tuple[FunnelFigure, ...]
    staffing_labels: dict[str, Text] = field(default_factory=dict)
    tool_status_labels: dict[str, Text] = field(default_factory=dict)
    other_roles: tuple[Role, ...] = ()

    @property
    def roles(self) -> tuple[str, ...]:
        """Where a workshop respondent may come from: each department, then the other roles, in order."""
        return (*(d.id for d in self.departments), *(r.id for r in self.other_roles))

    def figure(self, figure_id: str) -> FunnelFigure:
        """Return the funnel figure with ``figure_id``."""
        return next(f for f in self.funnel if f.id == figure_id)


@dataclass(frozen=True)
class Benchmark:
    """A benchmarked funnel metric: where it comes from, its healthy range and a realistic uplift."""

    metric: str
    title: Text
    unit: Literal["percent", "hours", "multiple", "calls"]
    good_side: Literal["higher", "lower", "range"]
    figure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 100.0
    min: float | None = None
    max: float | None = None
    ideal: float | None = None
    stage: str | None = None
    revenue_lever: bool = False
    uplift: float = 0.2
    note: Text | None = None
    per_cycle_month: bool = False  # the range is for a one-month sales cycle: it scales with the client's cycle
    # with per_cycle_month, how the scaled range came about: ``cycle_basis`` beside the range in the table,
    # ``cycle_note`` below it; placeholders {low} {high} (as written), {days}, {months}, {min} {max} (scaled)
    cycle_basis: Text | None = None
    cycle_note: Text | None = None
    # A rate of the existing customers' revenue, priced as a lever on the monthly recurring revenue:
    # monthly_loss (churn: the share lost each month) or annual_retention (NRR: the share kept over a year).
    retention: Literal["monthly_loss", "annual_retention"] | None = None


@dataclass(frozen=True)
class VolumeLever:
    """A volume in the revenue formula (leads, deal size) and the uplift we call realistic."""

    figure: str
    title: Text
    uplift: float


@dataclass(frozen=True)
class Benchmarks:
    """The benchmarked metrics and the volume levers of the revenue formula."""

    benchmarks: tuple[Benchmark, ...]
    volume_levers: tuple[VolumeLever, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """One sentence of a risk's explanation, said only when its condition holds (always when it has none)."""

    ja: str
    en: str
    when: Condition | None = None


@dataclass(frozen=True)
class SeverityOverride:
    """A severity that replaces the rule's own when its condition holds (a risk weighs more for some clients)."""

    severity: Severity
    when: Condition


@dataclass(frozen=True)
class Rule:
    """A failure pattern: when it is raised, how bad it is, and what to do about it.

    The explanation is a list of observations, each one sentence about this client with its consequence;
    those whose ``when`` holds are said, in order.
    """

    id: str
    severity: Severity
    title: Text
    cause: Text
    when: Condition
    countermeasure: Text
    explanation: tuple[Sentence, ...]
    addressed_by: tuple[str, ...] = ()
    severity_if: tuple[SeverityOverride, ...] = ()


@dataclass(frozen=True)
class Phase:
    """An organisation phase of THE MODEL and the company size it suits."""

    number: int
    title: Text
    structure: Text
    employees_min: int | None
    employees_max: int | None
    dedicated_departments: tuple[str, ...] = ()
    reached_when: Condition | None = None


@dataclass(frozen=True)
class BprStage:
    """A stage on the sales-BPR path and the evidence that it is complete."""

    id: str
    title: Text
    description: Text
    complete_when: Condition


@dataclass(frozen=True)
class Task:
    """A roadmap task: who owns it, how long it takes, what it needs and what it establishes."""

    id: str
    title: Text
    owner: str
    weeks: int
    lane: Literal["organization", "tools", "data"]
    depends_on: tuple[str, ...] = ()
    establishes: tuple[str, ...] = ()
    done_when: Condition | None = None
    # work no answer can show done (a pilot, measuring its effect, the full rollout): when this holds, the work
    # may well be under way, so the task stays in the plan marked "to confirm" rather than claimed done
    confirm_when: Condition | None = None
    description: Text | None = None
    phase: int = 1
    appoints: str | None = None
    effort_days: float = 0.0
    outside_support: bool = False


@dataclass(frozen=True)
class SizeBand:
    """How long tasks take at a company size, as a share of the weeks written in tasks.yaml, by lane."""

    organization: float
    tools: float
    data: float
    below: int | None = None  # the band covers companies smaller than this; None: every size left


@dataclass(frozen=True)
class Durations:
    """How task durations follow the client: by size band, and shorter where the work is partly done."""

    size_bands: tuple[SizeBand, ...] = ()
    partial_share: float = 1.0

    def factor(self, lane: str, employees: int | None, partial: bool) -> float:
        """How much of the written weeks or effort a task takes this client: its size band, less if partly done."""
        band = next((b for b in self.size_bands if b.below is None or (employees or 0) < b.below), None)
        size = getattr(band, lane, 1.0) if band is not None and employees is not None else 1.0
        return float(size) * (self.partial_share if partial else 1.0)

    def weeks(self, weeks: int, lane: str, employees: int | None, partial: bool) -> int:
        """A task's weeks for this client: scaled by its size band and lane, shortened when partly in place."""
        return max(1, int(weeks * self.factor(lane, employees, partial) + 0.5))


@dataclass(frozen=True)
class HandoffAgreement:
    """A definition the departments must agree on at a hand-off (lead, MQL, SQL, timing, recycling)."""

    id: str
    topic: Text
    decide: Text
    starting_point: Text


@dataclass(frozen=True)
class Meeting:
    """A recurring cross-department meeting and its agenda."""

    id: str
    title: Text
    cadence: Text
    attendees: Text
    minutes: int
    agenda: tuple[Text, ...]


@dataclass(frozen=True)
class LifecycleStage:
    """A lifecycle stage to configure in MA/SFA, who owns it, and what moves a record into it."""

    id: str
    stage: Text
    owner: str
    entry: Text
    automation: Text
    hubspot_stage: str
    hubspot_automation: Text


@dataclass(frozen=True)
class IntegrationPoint:
    """One point of the MA-SFA integration design."""

    title: Text
    detail: Text


@dataclass(frozen=True)
class HubspotHub:
    """Which HubSpot hub and features a department works in."""

    department: str
    hub: str
    features: Text


@dataclass(frozen=True)
class Playbook:
    """Operating content for the proposal: hand-off agreements, meetings, lifecycle and tool mapping."""

    handoff_agreements: tuple[HandoffAgreement, ...]
    meetings: tuple[Meeting, ...]
    lifecycle: tuple[LifecycleStage, ...]
    integration_points: tuple[IntegrationPoint, ...]
    hubspot_hubs: tuple[HubspotHub, ...]
    hubspot_dashboards: tuple[Text, ...]


@dataclass(frozen=True)
class Organisation:
    """The phase model and its advice, and the BPR path."""

    phases: tuple[Phase, ...]
    separate_inside_sales_min_employees: int
    bpr_stages: tuple[BprStage, ...]


@dataclass(frozen=True)
class Term:
    """A word of THE MODEL the pages explain where it appears (MQL, BANT, コネクト率...)."""

    id: str
    term: Text  # as the pages write it in each language
    definition: Text
    also: tuple[str, ...] = ()  # other spellings, looked for in either language


@dataclass(frozen=True)
class Glossary:
    """The terms the results and questionnaire pages explain on hover or tap."""

    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Content:
    """Everything a diagnosis needs to know besides the client's answers."""

    checklist: Checklist
    survey: Survey
    benchmarks: Benchmarks
    rules: tuple[Rule, ...]
    organisation: Organisation
    tasks: tuple[Task, ...]
    playbook: Playbook
    fingerprint: str = ""
    glossary: Glossary = field(default_factory=Glossary)
    durations: Durations = field(default_factory=Durations)

    def benchmark(self, metric: str) -> Benchmark | None:
        """Return the benchmark for ``metric`` if there is one."""
        return next((b for b in self.benchmarks.benchmarks if b.metric == metric), None)


# Read by pydantic when the loader validates a file: unknown keys are errors, not silently dropped (Text, from
# the vocabulary, is validated here too: it is the one vocabulary type content is written in).
# (A plain dict, so this module does not import pydantic.)
_VALIDATED: tuple[type, ...] = (
    Text, Axis, ChecklistItem, Checklist, Department, Role, Owner, FunnelFigure, ToolKind, Survey, Benchmark,
    VolumeLever, Benchmarks, Rule, Phase, BprStage, Task, Organisation, HandoffAgreement, Meeting,
    LifecycleStage, IntegrationPoint, HubspotHub, Playbook, Sentence, SeverityOverride, SizeBand, Durations,
    ScoreBand, Term, Glossary,
)  # fmt: skip
for _cls in _VALIDATED:
    setattr(_cls, "__pydantic_config__", {"extra": "forbid"})  # noqa: B010
