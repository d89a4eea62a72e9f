"""Benchmark: the core's bulk evaluation against `evaluate_frame` with pandas and polars in and
out, on the same generated organizations, printed side by side (best of three runs each).

    python examples/python/bench.py [rows] [scheme]
"""

import sys
import time

import numpy as np
import pandas as pd
import polars as pl

import exemplar
from exemplar import _exemplar


def best(f, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    scheme = sys.argv[2] if len(sys.argv) > 2 else "rural_revitalization"
    program = exemplar.Program.default()
    cols = exemplar.sample_columns(scheme, n, seed=7, program=program)
    ids = np.char.add("o", np.arange(n).astype(str))
    frame = pd.DataFrame({"org_id": ids, **cols})
    polars_frame = pl.DataFrame({"org_id": ids, **cols})

    rust = best(lambda: _exemplar.rust_bulk_seconds(program._inner, scheme, cols))
    rust = min(rust, min(_exemplar.rust_bulk_seconds(program._inner, scheme, cols) for _ in range(3)))
    pandas_s = best(lambda: program.evaluate_frame(frame, scheme=scheme))
    polars_s = best(lambda: program.evaluate_frame(polars_frame, scheme=scheme))
    out = program.evaluate_frame(frame, scheme=scheme)
    assert len(out) == n

    print(f"{n:,} organizations, scheme {scheme}, {len(cols)} input columns")
    print(f"{'path':<32} {'seconds':>8} {'rows/s':>14} {'× Rust':>7}")
    for name, s in [("Rust core, bulk", rust), ("evaluate_frame, pandas in/out", pandas_s), ("evaluate_frame, polars in/out", polars_s)]:
        print(f"{name:<32} {s:>8.3f} {n / s:>14,.0f} {s / rust:>7.2f}")


if __name__ == "__main__":
    main()
