"""The search's work budget (docs/planner.md, "Work budget"): what a search may spend,
what each min-plus product is charged, the error when it is spent, and what a request
refused for it is asked to narrow (the service's 422 ``plan_too_broad``)."""

from __future__ import annotations

from dataclasses import dataclass

from planner.model import PlanRequest, SearchStats
from pricing.labels import counted

# The search's work budget, in element operations of the min-plus products it computes
# (finite rows x middles x columns of each, plus its cells: a count of the inputs, so
# deterministic and independent of the machine): a few seconds of numpy at most and, as
# each expanded prefix keeps one (W, W+1) matrix, a bounded memory. Every request of the
# tests and benches stays well inside it (the bench's six-week request takes 3.6M, the
# largest of the tests 24M), and so does a three-month trip of fortnights (120 days, 90
# nights, 14 a stay, 3 stays: 2^28.3, refused under the first budget of 2^28); a request
# that
# exhausts it before the search has proven its plans raises ``SearchTooBroad``
# (docs/planner.md, "Work budget").
WORK_BUDGET = 1 << 30
# What one min-plus product costs whatever its size, in the same units: its numpy calls
# on whole (W, W+1) matrices and the search's Python around it (~0.2-0.5 ms here, as
# ~2^17 element operations are). Without it, a search of ~100,000 small products (long
# stays, few products, a relaxation over the whole catalogue) stayed under the budget
# in count and ran 50-70 s.
CALL_WORK = 1 << 17

# plan_too_broad asks for stays of at least this many nights (PlanIn's default) or longer.
PER_STAY_HINT = 7


class SearchTooBroad(RuntimeError):
    """The search spent its work budget (``WORK_BUDGET``) before it had proven its best
    plans: the request is refused rather than answered with unproven plans."""

    def __init__(self, work: int) -> None:
        super().__init__(f"search work {work} over budget")
        self.work = work


class WorkBudget:
    """The work a search may still spend (``WORK_BUDGET`` unless said): one per search,
    or one shared by several (the relaxations of a request share one)."""

    __slots__ = ("left",)

    def __init__(self, units: int = WORK_BUDGET) -> None:
        self.left = units

    def charge(self, work: int, stats: SearchStats) -> None:
        """Charge one min-plus product of ``work`` element operations, plus
        ``CALL_WORK``, to this budget and to the search's ``stats``; over budget,
        ``SearchTooBroad``."""
        work += CALL_WORK
        stats.work += work
        self.left -= work
        if self.left < 0:
            raise SearchTooBroad(stats.work)


@dataclass(frozen=True, slots=True)
class Narrowing:
    """What to narrow: a field of the ``POST /v1/plans`` body, the value suggested for
    it, and the change said in English and zh-CN."""

    field: str
    value: int
    en: str
    zh: str


def narrowing(request: PlanRequest, per_stay_given: bool, nights_given: bool) -> Narrowing:
    """What a request refused with ``SearchTooBroad`` is asked to narrow, with a concrete
    value: stays of about equal length (at least ``PER_STAY_HINT`` nights) when the
    caller gave a ``min_nights_per_stay`` (``per_stay_given``) below that (the page has
    no such field), else one stay fewer, else half the nights (``nights`` when the
    caller gave it, else ``max_nights``). A suggestion, not a promise."""
    per_stay = max(PER_STAY_HINT, request.nights_min // request.max_stays)
    if per_stay_given and request.min_nights_per_stay < per_stay:
        field, value = "min_nights_per_stay", per_stay
        en, zh = f"at least {counted(value, 'night')} per stay", f"每段住宿至少 {value} 晚"
    elif request.max_stays > 1 and not request.route:
        field, value = "max_stays", request.max_stays - 1
        en, zh = f"at most {counted(value, 'stay')}", f"最多 {value} 段住宿"
    else:
        field, value = ("nights" if nights_given else "max_nights"), max(1, request.nights_max // 2)
        en, zh = f"at most {counted(value, 'night')}", f"最多 {value} 晚"
    return Narrowing(field, value, en, zh)
