"""Tables in and out of the columnar core: pandas in → pandas out, polars → polars, pyarrow →
pyarrow, a dict of numpy arrays → a dict of numpy arrays. Only whole columns move; no Python
object is made per row."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np

from exemplar._exemplar import InputError

STANDINGS = ["advanced", "good", "average", "lagging"]


def kind_of(table: Any) -> str:
    module = type(table).__module__.split(".")[0]
    if isinstance(table, dict):
        return "numpy"
    if module == "pandas":
        return "pandas"
    if module == "polars":
        return "polars"
    if module == "pyarrow":
        return "pyarrow"
    if hasattr(table, "__arrow_c_stream__"):
        return "arrow"
    raise InputError(
        "evaluate_frame takes a pandas or polars DataFrame, a pyarrow Table, anything with "
        f"__arrow_c_stream__, or a dict of numpy arrays; not {type(table).__name__}"
    )


def evaluate_numpy(inner: Any, columns: Dict[str, Any], scheme: Optional[str]) -> Dict[str, Any]:
    """The dict-of-numpy path: float64 columns as they are; rows follow their `scheme` (or
    `area`) array unless `scheme` is given; the core groups them."""
    ids = columns.get("org_id")
    schemes = columns.get("scheme", columns.get("area"))
    numeric = {
        k: np.ascontiguousarray(np.asarray(v, dtype=np.float64))
        for k, v in columns.items()
        if k not in ("org_id", "scheme", "area", "events")
    }
    raw = inner._evaluate_numpy(
        scheme,
        numeric,
        None if ids is None else np.asarray(ids).astype(str).tolist(),
        None if scheme is not None or schemes is None else np.asarray(schemes).astype(str).tolist(),
    )
    out: Dict[str, Any] = {k: np.asarray(columns[k]) for k in ("org_id", "scheme", "area") if k in columns}
    out["score"] = raw["score"]
    out["stars"] = raw["stars"].astype(np.int8)
    out["standing"] = np.array([""] + STANDINGS)[raw["standing"]]
    out["vetoed"] = raw["vetoed"]
    out["weak_lax"] = raw["weak_lax"]
    for cid, arr in raw["criteria"]:
        out["pts_" + cid] = arr
    return out


def build(kind: str, table: Any, raw: Dict[str, Any]) -> Any:
    """The result in the caller's own kind of table, aligned with the input rows."""
    stars = raw["stars"]
    codes = raw["standing"].astype(np.int8) - 1
    crit = [("pts_" + cid, arr) for cid, arr in raw["criteria"]]
    names = _column_names(kind, table)
    passthrough = [k for k in ("org_id", "scheme", "area") if k in names]
    if kind == "pandas":
        import pandas as pd

        cols: Dict[str, Any] = {k: table[k].array for k in passthrough}
        cols["score"] = raw["score"]
        cols["stars"] = pd.arrays.IntegerArray(stars.astype(np.int8), stars == 0)
        cols["standing"] = pd.Categorical.from_codes(codes, categories=STANDINGS)
        cols["vetoed"] = raw["vetoed"]
        cols["weak_lax"] = raw["weak_lax"]
        cols.update(crit)
        return pd.DataFrame(cols, index=table.index, copy=False)
    if kind == "polars":
        import polars as pl

        series = [table[k] for k in passthrough] + [
            pl.Series("score", raw["score"]),
            pl.Series("stars", stars.astype(np.int8)),
            pl.Series("standing", [None] + STANDINGS, dtype=pl.Enum(STANDINGS)).gather(raw["standing"].astype(np.uint32)),
            pl.Series("vetoed", raw["vetoed"]),
            pl.Series("weak_lax", raw["weak_lax"]),
        ] + [pl.Series(name, arr) for name, arr in crit]
        out = pl.DataFrame(series)
        return out.with_columns(pl.when(pl.col("stars") > 0).then(pl.col("stars")).otherwise(None).alias("stars"))
    import pyarrow as pa

    source = table if kind == "pyarrow" else pa.table(table)
    arrays = {k: source.column(k) for k in passthrough}
    arrays["score"] = pa.array(raw["score"])
    arrays["stars"] = pa.array(stars.astype(np.int8), mask=stars == 0)
    arrays["standing"] = pa.DictionaryArray.from_arrays(
        pa.array(codes, mask=codes < 0), pa.array(STANDINGS)
    )
    arrays["vetoed"] = pa.array(raw["vetoed"])
    arrays["weak_lax"] = pa.array(raw["weak_lax"])
    for name, arr in crit:
        arrays[name] = pa.array(arr)
    return pa.table(arrays)


def _column_names(kind: str, table: Any) -> List[str]:
    if kind in ("pandas", "polars"):
        return [str(c) for c in table.columns]
    if kind == "pyarrow":
        return list(table.column_names)
    return []
