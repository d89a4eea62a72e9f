"""The shapes of the dicts exemplar returns, for type checkers and readers.

Each is a ``TypedDict``: at run time the results are plain ``dict``s and ``list``s, exactly as
``to_dict()`` and the JSON of the C library give them. Money is whole fen (``int``), points are
``float`` in hundredths.
"""

from typing import Dict, List, Optional, TypedDict


class SchemeCriterion(TypedDict):
    id: str
    name_zh: str
    name_en: str
    section: str
    points: float


class Scheme(TypedDict):
    id: str
    name_zh: str
    name_en: str
    area: Optional[str]
    department: Optional[str]
    max_points: float
    sectors: List[str]
    forms: List[str]
    criteria: List[SchemeCriterion]
    columns: List[str]


class _IndicatorRequired(TypedDict):
    id: str
    name_zh: str
    kind: str


class Indicator(_IndicatorRequired, total=False):
    name_en: str
    unit: str
    direction: str
    min: float
    max: float


class _EventKindRequired(TypedDict):
    id: str
    name_zh: str


class EventKind(_EventKindRequired, total=False):
    name_en: str


class _SettingsRequired(TypedDict):
    selection_target: int
    reward_pool_fen: int


class Settings(_SettingsRequired, total=False):
    title_term_years: int


class Hit(TypedDict):
    """A veto or weak-and-lax situation that fired."""

    id: str
    name_zh: str
    reason: str


class CriterionRow(TypedDict):
    """One criterion of an evaluation, on one assessor's sheet."""

    assessor: Optional[str]
    section: str
    id: str
    name_zh: str
    max: float
    points: float
    input: Optional[float]
    missing: bool
    reason: str


class GapItem(TypedDict):
    criterion: str
    name_zh: str
    indicator: Optional[str]
    attainable: float
    value_now: Optional[float]
    value_needed: Optional[float]
    closes_gap: bool


class Gap(TypedDict):
    org_id: str
    scheme: str
    score: float
    next: Optional[str]
    points_needed: float
    unmet_conditions: List[str]
    vetoed: bool
    items: List[GapItem]


class _OrganizationRequired(TypedDict):
    org_id: str
    name: str
    form: str
    sector: str
    county: str
    township: str


class Organization(_OrganizationRequired, total=False):
    parent: str


class Designation(TypedDict):
    """An organization designated weak and lax, with every reason."""

    org_id: str
    county: str
    reasons: List[str]


class Named(TypedDict):
    rank: int
    org_id: str
    scheme: str
    county: str
    score: float
    stars: Optional[int]
    tier: Optional[int]
    basis: str


class NotNamed(TypedDict):
    org_id: str
    scheme: str
    county: str
    score: float
    stars: Optional[int]
    eligible: bool
    rank: Optional[int]
    reason: str


class Award(TypedDict, total=False):
    id: str
    scheme: Optional[str]
    weight: int
    amount_fen: int
    landing: str
    sub_pool: str
    basis: str


class PlanStep(TypedDict):
    criterion: str
    name_zh: str
    indicator: Optional[str]
    points_now: float
    points: float
    value_now: Optional[float]
    value_needed: Optional[float]


class ImprovementPlan(TypedDict):
    org_id: str
    scheme: str
    score: float
    goal: str
    band: Optional[str]
    band_min: float
    points: float
    steps: List[PlanStep]
    conditions: List[str]
    achievable: bool
    summary: str


class Change(TypedDict, total=False):
    kind: str
    place: str
    place_zh: str
    field: str
    before: str
    after: str


class SubPool(TypedDict, total=False):
    of: str
    weight: int
    pool_fen: int
    paid_fen: int
    rest_fen: int
    scaled_from_fen: int
    basis: str


class DueState(TypedDict, total=False):
    state: str
    days: int


class DueItem(TypedDict):
    subject: str
    kind: str
    what: str
    name_zh: str
    name_en: str
    county: Optional[str]
    area: Optional[str]
    due: str
    done: Optional[str]
    state: DueState


class Rate(TypedDict):
    key: str
    due: int
    done: int
    on_time: int


class OversightStatus(TypedDict):
    as_of: str
    items: List[DueItem]
    by_group: List[Rate]
    by_county: List[Rate]
    by_area: List[Rate]
    derived: Dict[str, Dict[str, float]]


class TransitionMatrix(TypedDict):
    county: str
    scheme: str
    from_year: int
    to_year: int
    counts: List[List[int]]


class HistoryEntry(TypedDict):
    year: int
    score: float
    stars: Optional[int]
    standing: Optional[str]


class History(TypedDict):
    org_id: str
    scheme: str
    county: str
    entries: List[HistoryEntry]
    turned_around: bool


class YearOverYear(TypedDict):
    matrices: List[TransitionMatrix]
    histories: List[History]


class AcceptanceCheck(TypedDict):
    date: str
    score: float
    satisfied: int
    dissatisfied: int
    passed: bool
    reason: str


__all__ = [
    "AcceptanceCheck",
    "Award",
    "Change",
    "CriterionRow",
    "Designation",
    "DueItem",
    "DueState",
    "EventKind",
    "Gap",
    "GapItem",
    "Hit",
    "History",
    "ImprovementPlan",
    "HistoryEntry",
    "Indicator",
    "Named",
    "NotNamed",
    "Organization",
    "OversightStatus",
    "PlanStep",
    "Rate",
    "Scheme",
    "SchemeCriterion",
    "Settings",
    "SubPool",
    "TransitionMatrix",
    "YearOverYear",
]


# `from` is a keyword: the functional form.
Stability = TypedDict(
    "Stability",
    {
        "scheme": str,
        "section": str,
        "weight": float,
        "from": float,
        "to": float,
        "changes_below": Optional[float],
        "changes_above": Optional[float],
    },
)
Stability.__doc__ = """How far a section's weight can move before an outcome changes (`exemplar.stability`)."""
