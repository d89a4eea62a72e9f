"""What Dask and Spark share: each partition scored by `evaluate_frame` with the columns of the
whole table, and what the decisions keep of each row. Every rule stays in the core; this only
picks columns."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence

import numpy as np

from exemplar._api import Program
from exemplar._errors import wrong
from exemplar._exemplar import _FIXED_COLUMNS as FIXED

# The columns that route a row to its scheme.
ROUTES = ("scheme", "area")
# evaluate_frame's result columns before the points; and those it passes through.
RESULTS = ["score", "stars", "standing", "vetoed", "weak_lax"]
PASSED = ["org_id", "scheme", "area"]


def program_of(program: Any) -> Program:
    if not isinstance(program, Program):
        raise wrong("exemplar.Program", "an exemplar.Program", program)
    return program


def points_columns(program: Program, columns: Sequence[str], distinct: Callable[[List[str]], Any], scheme: Optional[str]) -> List[str]:
    """The `pts_` columns `evaluate_frame` gives for the whole table: those of the schemes its
    rows are routed to. `distinct(columns)` gives the distinct rows of the routing columns as a
    dict of lists (one small pass over the table)."""
    routes = [c for c in ROUTES if c in columns] if scheme is None else []
    values = distinct(routes) if routes else {}
    rows = len(next(iter(values.values()))) if values else 1
    ids = program._inner._table_criteria(values, rows, scheme)
    return ["pts_" + c for c in ids]


def passed(columns: Sequence[str]) -> List[str]:
    return [c for c in PASSED if c in columns]


def kept(program: Program, columns: Sequence[str]) -> List[str]:
    """The input columns the decisions keep of each row: the year's fixed columns, `area`, and
    `program.decision_columns`."""
    wanted = set(FIXED) | {"area"} | set(program.decision_columns)
    return [c for c in columns if c in wanted]


def ties(program: Program) -> List[str]:
    """The `pts_` columns of the selection's tie-break criteria."""
    selection = program.to_dict().get("selection") or {}
    return ["pts_" + c for c in selection.get("tie_break", [])]


def score_pandas(part: Any, program: Program, scheme: Optional[str], points: bool, pts: List[str]) -> Any:
    """A pandas partition scored, with the whole table's columns: a criterion of a scheme no row
    of this partition is under is NaN, as evaluate_frame gives it in such rows."""
    out = program.evaluate_frame(part, scheme, points=points)
    for c in pts:
        if c not in out.columns:
            out[c] = np.full(len(out), np.nan)
    return out[passed(part.columns) + RESULTS + pts]


def decision_rows(part: Any, program: Program, keep: List[str], pts: List[str]) -> Any:
    """A pandas partition's rows as the decisions read them: the kept input columns beside the
    results and the tie-break points."""
    import pandas as pd

    scores = score_pandas(part, program, None, bool(pts), pts)
    return pd.concat([part[keep], scores[RESULTS + pts]], axis=1)

