"""exemplar on Spark (`pip install "exemplar[spark]"`, with a Java runtime): a year too big for
one machine scored batch by batch on the executors (`mapInArrow`: Arrow in, Arrow out, no Python
object per row), with exactly the results of one process.

    import exemplar, exemplar.spark
    program = exemplar.Program.default()
    year = spark.read.csv("year/*.csv", header=True, inferSchema=True)
    with exemplar.spark.errors():                 # a bad row raises its own InputError here
        scores = exemplar.spark.evaluate(year, program).toPandas()
        decisions = exemplar.spark.decide(year, program)
"""

from __future__ import annotations

import base64
import pickle
import re
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Mapping, Optional

import numpy as np
import pyarrow as pa

from exemplar import _distributed as part
from exemplar._api import Decisions, Program, decide as decide_here
from exemplar._exemplar import ExemplarError

# An exemplar error crosses from an executor to the driver inside the text of Spark's own
# exception, pickled between these marks.
_MARK = "EXEMPLAR-ERROR:"
_FOUND = re.compile(_MARK + r"([A-Za-z0-9+/=]+):END")


def evaluate(df: Any, program: Program, scheme: Optional[str] = None, *, points: bool = True) -> Any:
    """`Program.evaluate_frame` on every Arrow batch of the Spark DataFrame `df` (`mapInArrow`):
    the same columns, row for row, as `evaluate_frame` on the whole table, values bit for bit;
    `standing` is text (Spark has no ordered categories) and `stars` a nullable byte. The program
    travels as its rule file and is compiled once per Python worker. Lazy, as Spark is: a bad
    row fails the job when it runs; inside `errors()` it raises its `InputError` on the driver,
    naming the organization, scheme and column (its row is counted within its Arrow batch: Spark
    rows have no order)."""
    program = part.program_of(program)
    columns = list(df.columns)
    pts = part.points_columns(program, columns, lambda cols: _distinct(df, cols), scheme) if points else []
    schema = _schema(df, part.passed(columns) + part.RESULTS + pts)
    arrow = _arrow_schema(schema)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            with _carried():
                out = program.evaluate_frame(pa.Table.from_batches([batch]), scheme, points=points)
            yield _batch(out, arrow)

    return df.mapInArrow(run, schema)


def decide(df: Any, program: Program, procedure_incomplete: Optional[Mapping[str, str]] = None) -> Decisions:
    """The year's decisions (weak-and-lax designations, selection, reward) for a year held as a
    Spark DataFrame of the flat year's columns: every batch is scored on the executors, the
    compact results (the fixed columns, the columns the vetoes and situations test, the results
    and the tie-break points) are collected to the driver as Arrow, and `exemplar.decide` decides
    there, to the fen as `select` and `Selection.reward` on the whole year in one process."""
    program = part.program_of(program)
    keep = part.kept(program, list(df.columns))
    pts = part.ties(program)
    schema = _schema(df, keep + part.RESULTS + pts)
    arrow = _arrow_schema(schema)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            table = pa.Table.from_batches([batch])
            with _carried():
                scores = program.evaluate_frame(table, points=bool(pts))
            for c in part.RESULTS + pts:
                if c in scores.column_names:
                    table = table.append_column(c, scores.column(c))
            yield _batch(table, arrow)

    with errors():
        rows = df.mapInArrow(run, schema).toArrow()
    return decide_here(program, rows, procedure_incomplete)


@contextmanager
def errors() -> Iterator[None]:
    """Re-raises, on the driver, the exemplar error a Spark job failed with on an executor (an
    `InputError` with its organization, scheme, column and row), instead of Spark's own
    exception quoting its traceback."""
    try:
        yield
    except Exception as e:
        found = _FOUND.search(str(e))
        if found is None:
            raise
        raise pickle.loads(base64.b64decode(found.group(1))) from None


@contextmanager
def _carried() -> Iterator[None]:
    """An exemplar error raised on an executor, carried in the text of the exception Spark
    passes back to the driver."""
    try:
        yield
    except ExemplarError as e:
        payload = base64.b64encode(pickle.dumps(e)).decode("ascii")
        raise RuntimeError(f"{e} {_MARK}{payload}:END") from None


def _batch(table: pa.Table, arrow: pa.Schema) -> pa.RecordBatch:
    """The result as Spark's schema types: standing as text, points NaN where a scheme has no
    such criterion (as evaluate_frame gives them)."""
    n = len(table)
    columns = []
    for field in arrow:
        if field.name in table.column_names:
            column = table.column(field.name)
            if pa.types.is_dictionary(column.type):
                column = column.cast(pa.string())
            columns.append(column.cast(field.type))
        else:
            columns.append(pa.array(np.full(n, np.nan)))
    if n == 0:
        return pa.RecordBatch.from_pylist([], schema=arrow)
    return pa.Table.from_arrays(columns, schema=arrow).combine_chunks().to_batches()[0]


def _schema(df: Any, names: List[str]) -> Any:
    """The Spark schema of the result: input columns keep their type; results as evaluate_frame
    gives them."""
    from pyspark.sql.types import BooleanType, ByteType, DoubleType, StringType, StructField, StructType

    given = {f.name: f for f in df.schema.fields}
    results = {"score": DoubleType(), "stars": ByteType(), "standing": StringType(), "vetoed": BooleanType(), "weak_lax": BooleanType()}
    fields = []
    for name in names:
        if name in results:
            fields.append(StructField(name, results[name], True))
        elif name in given:
            fields.append(given[name])
        else:
            fields.append(StructField(name, DoubleType(), True))
    return StructType(fields)


def _arrow_schema(schema: Any) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(schema)


def _distinct(df: Any, columns: List[str]) -> Dict[str, List[Optional[str]]]:
    rows = df.select(*columns).distinct().collect()
    return {c: [None if r[c] is None else str(r[c]) for r in rows] for c in columns}
