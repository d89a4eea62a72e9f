"""exemplar on Dask (`pip install "exemplar[dask]"`): a year too big for one machine scored
partition by partition on a cluster, with exactly the results of one process.

>>> import dask.dataframe as dd
>>> import exemplar, exemplar.dask
>>> program = exemplar.Program.default()
>>> year = dd.from_pandas(exemplar.sample_year(), npartitions=4)
>>> scores = exemplar.dask.evaluate(year, program)          # lazy, one task per partition
>>> scores.columns[:5].tolist()
['org_id', 'scheme', 'score', 'stars', 'standing']
>>> decisions = exemplar.dask.decide(year, program)         # scored there, decided here
>>> len(decisions.selection.named)
200
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Optional

import dask.dataframe as dd

from exemplar import _distributed as part
from exemplar._api import Decisions, Program, decide as decide_here


def evaluate(ddf: dd.DataFrame, program: Program, scheme: Optional[str] = None, *, points: bool = True) -> dd.DataFrame:
    """`Program.evaluate_frame` on every partition of `ddf` (`map_partitions`, one task each):
    the same columns, row for row, as `evaluate_frame` on the whole table, values bit for bit.
    The program travels to the workers as its rule file and is compiled once per worker process.
    The points columns are those of the schemes the rows are under (one small pass over the
    routing column finds them). A bad row raises its `InputError` on the client when computed,
    naming the organization, column and row (the index label)."""
    program = part.program_of(program)
    pts = part.points_columns(program, list(ddf.columns), lambda cols: _distinct(ddf, cols), scheme) if points else []
    meta = part.score_pandas(ddf._meta, program, scheme, points, pts)
    return ddf.map_partitions(part.score_pandas, program, scheme, points, pts, meta=meta)


def decide(ddf: dd.DataFrame, program: Program, procedure_incomplete: Optional[Mapping[str, str]] = None) -> Decisions:
    """The year's decisions (weak-and-lax designations, selection, reward) for a year held as a
    Dask DataFrame of the flat year's columns: every partition is scored on the cluster, the
    compact results (the fixed columns, the columns the vetoes and situations test, the results
    and the tie-break points) come back to the client, and `exemplar.decide` decides there, to
    the fen as `select` and `Selection.reward` on the whole year in one process."""
    program = part.program_of(program)
    keep = part.kept(program, list(ddf.columns))
    pts = part.ties(program)
    meta = part.decision_rows(ddf._meta, program, keep, pts)
    rows = ddf.map_partitions(part.decision_rows, program, keep, pts, meta=meta).compute()
    return decide_here(program, rows.reset_index(drop=True), procedure_incomplete)


def _distinct(ddf: dd.DataFrame, columns: List[str]) -> Dict[str, List[Optional[str]]]:
    rows = ddf[columns].drop_duplicates().compute()
    return {c: [None if v is None or v != v else str(v) for v in rows[c]] for c in columns}
