"""Where the organisation stands: its THE MODEL phase, the phase to aim for, and the BPR stage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessment.content.conditions import Facts, evaluate
from assessment.content.model import Organisation, Phase


@dataclass(frozen=True)
class PhaseAssessment:
    """The current phase, the phase the company's size fits, and the recommended next phase.

    ``advice`` holds codes the report words: ``next_step`` (the size fits the next phase),
    ``one_step`` (the size fits a phase further on, but move one phase at a time), ``consolidate``
    (the phase fits the size), ``ahead_of_size`` (the structure is further along than the size needs:
    the recommended phase is the size-fit one; add no teams and watch the coordination cost),
    ``keep_inside_sales_shared`` (too small for a separate inside-sales team), ``fold_inside_sales`` (it
    has one anyway: let it prove its worth or fold first contact back into field sales), ``size_unknown``
    and ``structure_unknown`` (the staffing that decides the next phase was not given, so ``current`` is
    the last phase known to be reached).
    """

    current: int
    by_size: int | None
    recommended: int
    advice: tuple[str, ...]
    separate_inside_sales: bool | None
    structure_known: bool = True

    @property
    def gap(self) -> int | None:
        """How many phases the size-fit phase lies beyond the current one (negative: ahead of size)."""
        if self.by_size is None or not self.structure_known:
            return None
        return self.by_size - self.current

    @property
    def holds(self) -> bool:
        """Whether the advice is to make the current phase work rather than to move to another."""
        return self.recommended == self.current


@dataclass(frozen=True)
class BprPosition:
    """Where the client stands on the BPR path: the first stage not complete (None when all are)."""

    stage: str | None
    index: int
    completed: tuple[str, ...]


def assess_phase(organisation: Organisation, facts: Facts, employees: int | None) -> PhaseAssessment:
    """Judge the current phase from the structure, the size-fit phase, and the next step to take."""
    phases = sorted(organisation.phases, key=lambda p: p.number)
    current = phases[0].number
    structure_known = True
    for phase in phases[1:]:
        reached = evaluate(phase.reached_when, facts) if phase.reached_when is not None else False
        if reached is not True:
            structure_known = reached is False  # None: the staffing that decides it was not given
            break
        current = phase.number
    by_size = phase_for_size(phases, employees)
    top = phases[-1].number
    advice: list[str] = []
    if by_size is None:
        recommended = min(current + 1, top)
        advice.append("size_unknown")
    elif by_size > current:
        recommended = current + 1
        advice.append("one_step" if by_size > recommended else "next_step")
    elif by_size == current:
        recommended = current
        advice.append("consolidate")
    else:
        # never aim beyond the size-fit phase: a structure ahead of the size is told what to fold back (a
        # separate inside-sales team below 30 people) or, with nothing to fold back, to add nothing more
        recommended = by_size
        advice.append("ahead_of_size")
    threshold = organisation.separate_inside_sales_min_employees
    separate = None if employees is None else employees >= threshold
    if separate is False:
        has_team = facts.get("dept.inside_sales") == "dedicated"
        advice.append("fold_inside_sales" if has_team else "keep_inside_sales_shared")
        if has_team and "ahead_of_size" in advice:
            advice.remove("ahead_of_size")  # "keep the structure" would contradict folding inside sales back
    if not structure_known:
        advice.append("structure_unknown")
    return PhaseAssessment(current, by_size, recommended, tuple(advice), separate, structure_known)


def phase_for_size(phases: Sequence[Phase], employees: int | None) -> int | None:
    """The number of the phase a company of ``employees`` people suits (None when the size is not known)."""
    if employees is None:
        return None
    fitting = [
        p.number
        for p in phases
        if p.employees_min is not None
        and employees >= p.employees_min
        and (p.employees_max is None or employees <= p.employees_max)
    ]
    if fitting:
        return max(fitting)
    sized = [p for p in phases if p.employees_min is not None]
    return min(sized, key=lambda p: p.employees_min or 0).number if sized else None


def locate_bpr(organisation: Organisation, facts: Facts) -> BprPosition:
    """Find the first BPR stage whose completion evidence is not (yet) there."""
    completed: list[str] = []
    for index, stage in enumerate(organisation.bpr_stages, start=1):
        if evaluate(stage.complete_when, facts) is not True:
            return BprPosition(stage.id, index, tuple(completed))
        completed.append(stage.id)
    return BprPosition(None, len(organisation.bpr_stages) + 1, tuple(completed))
