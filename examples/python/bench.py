"""Benchmark: the standard job (../shared/bench/STANDARD_JOB.md — 24 linear criteria, 2 vetoes,
5 star bands) scored by exemplar and by the numpy/pandas code an analyst would write instead, in
one process and one run, printed as rows/s and as the ratio to the numpy code (medians of five).
The core call writes into buffers allocated once and reused; a frame's results are new memory,
which the kernel must zero page by page (as it does for the numpy code's results).

    python examples/python/bench.py [rows]           # default 2,000,000
    python examples/python/bench.py [rows] SCHEME    # a scheme of the default program instead
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import exemplar
from exemplar import _exemplar

C = 24
FLOOR = np.array([10.0 + c for c in range(C)])
TARGET = np.array([30.0 + 3 * c for c in range(C)])
FLOOR[22:] = 0.0
TARGET[22:] = 1.0
RAW = np.array([1.0 + c % 4 for c in range(C)])
RAW[22:] = 0.1
WEIGHT = np.round(RAW / RAW.sum() * 100, 2)


def standard_program() -> exemplar.Program:
    """The standard sheet as a rule file: criterion c reads x{c}; x22 and x23 are also vetoes."""
    return exemplar.Program.from_file(Path(__file__).parents[1] / "data" / "standard_job.toml")


def standard_data(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    q = rng.random(n)[:, None]
    x = FLOOR + (TARGET - FLOOR) * (1.5 * q - 0.25 + 0.25 * rng.standard_normal((n, C)))
    x = np.round(x, 2)
    x[:, 22:] = (rng.random((n, 2)) < 0.02).astype(float)
    frame = pd.DataFrame(x, columns=[f"x{c}" for c in range(C)])
    frame.insert(0, "org_id", np.char.add("o", np.arange(n).astype(str)))
    return frame


def numpy_job(frame: pd.DataFrame) -> pd.DataFrame:
    """What an analyst writes instead: the sheet in numpy, wrapped back into a DataFrame."""
    x = frame[[f"x{c}" for c in range(C)]].to_numpy()
    frac = np.clip((x - FLOOR) / (TARGET - FLOOR), 0, 1)
    pts = frac * WEIGHT
    total = pts.sum(1)
    vetoed = (x[:, 22] == 1) | (x[:, 23] == 1)
    stars = np.select([vetoed, total >= 90, total >= 80, total >= 70, total >= 60], [1, 5, 4, 3, 2], 1)
    points = {f"c{c}": pts[:, c] for c in range(C)}
    return pd.DataFrame({"org_id": frame["org_id"].to_numpy(), "score": total, "stars": stars, "vetoed": vetoed, **points})


def median(f, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    if len(sys.argv) > 2:
        scheme = sys.argv[2]
        program = exemplar.Program.default()
        cols = exemplar.sample_columns(scheme, n, seed=7, program=program)
        frame = pd.DataFrame({"org_id": np.char.add("o", np.arange(n).astype(str)), **cols})
        baseline = None
        job = f"scheme {scheme} of the default program, {len(cols)} input columns"
    else:
        scheme = "standard"
        program = standard_program()
        frame = standard_data(n)
        cols = {k: frame[k].to_numpy() for k in frame.columns if k != "org_id"}
        baseline = median(lambda: numpy_job(frame))
        job = "the standard job (24 linear criteria, 2 vetoes, 5 bands)"

    inner = program._inner
    core = {(t, p): _exemplar.rust_bulk_seconds(inner, scheme, cols, t, p) for t in (1, 2) for p in (True, False)}
    core_fresh = _exemplar.rust_bulk_seconds(inner, scheme, cols, 1, True, fresh=True)
    pandas_s = median(lambda: program.evaluate_frame(frame, scheme=scheme))
    pandas_2 = median(lambda: program.evaluate_frame(frame, scheme=scheme, threads=2))
    polars_frame = pl.from_pandas(frame)
    polars_s = median(lambda: program.evaluate_frame(polars_frame, scheme=scheme))
    arrow_table = pa.Table.from_pandas(frame, preserve_index=False)
    arrow_s = median(lambda: program.evaluate_frame(arrow_table, scheme=scheme))
    # One report per row: indicator values as keys, event counts as the `events` text.
    k = min(n, 20_000)
    events = {e["id"] for e in program.events}
    records = []
    for r in frame.iloc[:k].to_dict("records"):
        counted = ";".join(e for e in events if e in r for _ in range(int(r.pop(e))))
        records.append({**r, "scheme": scheme, "period": "2023", "events": counted})
    explained = median(lambda: [program.evaluate(r) for r in records], runs=3)

    if baseline is not None:
        # The two agree on every score to the hundredth (the core rounds once, numpy does not).
        ours = program.evaluate_frame(frame.iloc[:1000], scheme=scheme)
        theirs = numpy_job(frame.iloc[:1000])
        assert np.allclose(ours["score"].to_numpy(float), theirs["score"].to_numpy(), atol=0.01 * C)

    print(f"{n:,} rows: {job}; medians of 5 runs")
    print("| method | rows/s | vs the numpy/pandas code |" if baseline else "| method | rows/s | vs the core |")
    print("|---|---|---|")
    base = baseline if baseline is not None else core[1, True]
    rows = [
        ("core call, 1 thread, with points (reused buffers)", n / core[1, True], base / core[1, True]),
        ("core call, 1 thread, with points (fresh buffers, as a returned frame has)", n / core_fresh, base / core_fresh),
        ("core call, 1 thread, totals and bands", n / core[1, False], base / core[1, False]),
        ("core call, 2 threads, with points", n / core[2, True], base / core[2, True]),
        ("core call, 2 threads, totals and bands", n / core[2, False], base / core[2, False]),
        ("`evaluate_frame`, pandas in/out", n / pandas_s, base / pandas_s),
        ("`evaluate_frame`, pandas in/out, `threads=2`", n / pandas_2, base / pandas_2),
        ("`evaluate_frame`, polars in/out", n / polars_s, base / polars_s),
        ("`evaluate_frame`, pyarrow in/out", n / arrow_s, base / arrow_s),
        (f"explained `evaluate()` per record ({k:,})", k / explained, base / n * k / explained),
    ]
    if baseline is not None:
        rows.insert(0, ("numpy/pandas, DataFrame in → DataFrame out", n / baseline, 1.0))
    for name, rate, ratio in rows:
        print(f"| {name} | {rate / 1e6:.2f} M | {ratio:.2f} |" if rate >= 1e5 else f"| {name} | {rate / 1e3:.0f} k | {ratio:.3f} |")


if __name__ == "__main__":
    main()
