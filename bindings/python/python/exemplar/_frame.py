"""Tables in and out of the columnar core: pandas in → pandas out, polars → polars, pyarrow →
pyarrow, a dict of numpy arrays → a dict of numpy arrays. Only whole columns move; no Python
object is made per row. Every rule (routing, events, absent columns) is the core's."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from exemplar._exemplar import _TEXT_COLUMNS as TEXT_COLUMNS
from exemplar._errors import error
from exemplar._exemplar import ExemplarError, InputError

# The core's standing codes: 1 advanced … 4 lagging (0: none).
STANDINGS = ["advanced", "good", "average", "lagging"]
# Ordered worst to best, in pandas, polars and pyarrow alike: `standing < "good"` is average
# and lagging, `standing >= "good"` is good and advanced.
RANKED = ["lagging", "average", "good", "advanced"]
TAKES = (
    "a pandas or polars DataFrame (or polars LazyFrame), a pyarrow Table, anything with "
    "__arrow_c_stream__, or a dict of 1-d numpy arrays"
)
TAKES_ZH = "pandas或polars的DataFrame（或polars LazyFrame）、pyarrow Table、任何带__arrow_c_stream__的对象，或由一维numpy数组组成的dict"


def kind_of(table: Any) -> Tuple[str, Any]:
    """The kind of table and the table itself (a polars LazyFrame is collected)."""
    module = type(table).__module__.split(".")[0]
    name = type(table).__name__
    if isinstance(table, dict):
        return "numpy", table
    if module == "polars" and name == "LazyFrame":
        return "polars", table.collect()
    if module in ("pandas", "polars", "pyarrow") and name in ("Series", "ChunkedArray", "Array") or (
        module == "pyarrow" and name.endswith("Array")
    ):
        raise error(
            InputError,
            f"{module} {name}只是一列；请传入由列组成的表：{TAKES_ZH}",
            f"a {module} {name} is one column; pass a table of columns: {TAKES}",
        )
    if module == "pandas" and name == "DataFrame":
        return "pandas", table
    if module == "polars" and name == "DataFrame":
        return "polars", table
    if module == "pyarrow" and name == "Table":
        return "pyarrow", table
    if hasattr(table, "__arrow_c_stream__"):
        return "arrow", table
    raise error(InputError, f"可接受{TAKES_ZH}；不接受{name}", f"takes {TAKES}; not {name}")


def column_names(kind: str, table: Any) -> List[str]:
    if kind in ("pandas", "polars"):
        return [str(c) for c in table.columns]
    if kind == "pyarrow":
        return list(table.column_names)
    if kind == "numpy":
        return [str(c) for c in table]
    return []


def check_columns(kind: str, table: Any) -> None:
    """Each column once: pandas allows a name twice, the core's table does not."""
    seen = set()
    for c in column_names(kind, table):
        if c in seen:
            raise error(InputError, f"`{c}`列出现两次；每列只给一次", f"column `{c}` appears twice; give each column once")
        seen.add(c)


def evaluate(inner: Any, kind: str, table: Any, scheme: Optional[str], points: bool, threads: int) -> Dict[str, Any]:
    """The core's result columns for any kind of table, rows named as the caller knows them."""
    check_columns(kind, table)
    if kind == "numpy":
        columns = {k: np.asarray(v) for k, v in table.items()}
        return inner._evaluate_numpy(columns, scheme, points, threads)
    labels = None
    if kind == "pandas" and not _is_default_index(table.index):
        labels = table.index
    try:
        block = _numeric_block(table) if kind == "pandas" else None
        if block is not None:
            names, values, texts = block
            return inner._evaluate_matrix(names, values, texts, scheme, labels, points, threads)
        return inner._evaluate_arrow(table, scheme, labels, points, threads)
    except InputError as e:
        if labels is not None and isinstance(getattr(e, "row", None), int):
            e.row = labels[e.row]
        raise
    except ExemplarError:
        raise
    except Exception as e:  # the table could not be read as Arrow columns
        raise error(InputError, *_unreadable(kind, table, e)) from e


def _numeric_block(table: Any) -> Optional[Tuple[List[str], Any, Any]]:
    """A pandas frame whose every column but the text ones has a plain numpy number dtype, as
    those columns' names, one float64 array of them (the frame's own memory when they are one
    block of floats) and its text columns as Arrow; None sends the frame through Arrow instead."""
    import pyarrow as pa

    numeric = [c for c in table.columns if str(c) not in TEXT_COLUMNS]
    for c in numeric:
        dtype = table.dtypes[c]
        if not (isinstance(dtype, np.dtype) and dtype.kind in "fiub"):
            return None
    values = table[numeric].to_numpy(dtype=np.float64)
    if not (values.flags.c_contiguous or values.flags.f_contiguous):
        values = np.ascontiguousarray(values)
    text = [c for c in table.columns if str(c) in TEXT_COLUMNS]
    texts = pa.Table.from_pandas(table[text], preserve_index=False) if text else pa.table({})
    return [str(c) for c in numeric], values, texts


def _is_default_index(index: Any) -> bool:
    import pandas as pd

    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def _unreadable(kind: str, table: Any, e: Exception) -> Tuple[str, str]:
    """Which column could not be read, and what to do about it, in Chinese and in English."""
    if kind == "pandas":
        import pyarrow as pa

        for c in table.columns:
            try:
                pa.array(table[c])
            except Exception:
                return (
                    f"`{c}`列混有不同类型的值（{e}）；请转为数字（pandas.to_numeric）或文本（.astype(str)）",
                    f"column `{c}` mixes kinds of values ({e}); make it numbers (pandas.to_numeric) "
                    "or text (.astype(str))",
                )
    return f"该表无法按列读取：{e}", f"the table cannot be read as columns: {e}"


def build(kind: str, table: Any, raw: Dict[str, Any]) -> Any:
    """The result in the caller's own kind of table, aligned with the input rows."""
    stars = raw["stars"]
    # Code 1 (advanced) is the last category, code 4 (lagging) the first; 0 (none) is missing.
    codes = np.where(raw["standing"] == 0, -1, 4 - raw["standing"].astype(np.int8)).astype(np.int8)
    crit = [("pts_" + cid, arr) for cid, arr in raw["criteria"]]
    names = column_names(kind, table)
    passthrough = [k for k in ("org_id", "scheme", "area") if k in names]
    if kind == "numpy":
        out: Dict[str, Any] = {k: np.asarray(table[k]) for k in passthrough}
        out["score"] = raw["score"]
        out["stars"] = stars.astype(np.int8)
        out["standing"] = np.array([""] + STANDINGS)[raw["standing"]]
        out["vetoed"] = raw["vetoed"]
        out["weak_lax"] = raw["weak_lax"]
        out.update(crit)
        return out
    if kind == "pandas":
        import pandas as pd

        cols: Dict[str, Any] = {k: table[k].array for k in passthrough}
        cols["score"] = raw["score"]
        cols["stars"] = pd.arrays.IntegerArray(stars.astype(np.int8), stars == 0)
        cols["standing"] = pd.Categorical.from_codes(codes, categories=RANKED, ordered=True)
        cols["vetoed"] = raw["vetoed"]
        cols["weak_lax"] = raw["weak_lax"]
        cols.update(crit)
        return pd.DataFrame(cols, index=table.index, copy=False)
    if kind == "polars":
        import polars as pl

        series = [table[k] for k in passthrough] + [
            pl.Series("score", raw["score"]),
            pl.Series("stars", stars.astype(np.int8)),
            pl.Series("standing", [None] + STANDINGS, dtype=pl.Enum(RANKED)).gather(raw["standing"].astype(np.uint32)),
            pl.Series("vetoed", raw["vetoed"]),
            pl.Series("weak_lax", raw["weak_lax"]),
        ] + [pl.Series(name, arr) for name, arr in crit]
        return pl.DataFrame(series).with_columns(pl.when(pl.col("stars") > 0).then(pl.col("stars")).otherwise(None).alias("stars"))
    import pyarrow as pa

    source = table if kind == "pyarrow" else pa.table(table)
    arrays: Dict[str, Any] = {k: source.column(k) for k in passthrough}
    arrays["score"] = pa.array(raw["score"])
    arrays["stars"] = pa.array(stars.astype(np.int8), mask=stars == 0)
    arrays["standing"] = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), pa.array(RANKED), ordered=True)
    arrays["vetoed"] = pa.array(raw["vetoed"])
    arrays["weak_lax"] = pa.array(raw["weak_lax"])
    for name, arr in crit:
        arrays[name] = pa.array(arr)
    return pa.table(arrays)


def to_arrow(kind: str, table: Any) -> Any:
    """Any kind of table as a pyarrow Table (for the year's flat CSV)."""
    import pyarrow as pa

    if kind == "pandas":
        return pa.Table.from_pandas(table, preserve_index=False)
    if kind == "polars":
        return table.to_arrow()
    if kind == "numpy":
        return pa.table({k: np.asarray(v) for k, v in table.items()})
    return pa.table(table)
