"""Benchmark: the standard job (../shared/bench/STANDARD_JOB.md) at 10 million rows, scored in one
process and by two workers — a Dask LocalCluster of two worker processes, and Spark local[2] —
in one run, printed as rows/s and as the ratio to the numpy code an analyst would write instead.

The rows are written once as Parquet files (one per part, generation not timed) and read by each
engine into its own memory before the clock starts: what is timed is scoring the rows in memory,
the results kept where they were computed (a one-process frame, the Dask workers' memory, Spark's
no-op sink), as an analyst's next step (a filter, an aggregate, a write) would find them.

    python examples/python/distributed_bench.py [rows] [parts]    # default 10,000,000 and 10
"""

import os
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd

import exemplar

sys.path.insert(0, str(Path(__file__).parent))
from bench import median as median_of, numpy_job, standard_data, standard_program  # noqa: E402


def median(f) -> float:
    return median_of(f, runs=3)


def write_parts(folder: Path, n: int, parts: int) -> list:
    paths = []
    for k in range(parts):
        rows = n // parts + (1 if k < n % parts else 0)
        frame = standard_data(rows, seed=k)
        frame["org_id"] = f"p{k}-" + frame["org_id"]
        path = folder / f"part-{k:03}.parquet"
        frame.to_parquet(path, index=False)
        paths.append(path)
    return paths


def one_process(paths: list, program: exemplar.Program) -> tuple:
    frame = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    numpy_s = median(lambda: numpy_job(frame))
    core_s = median(lambda: program.evaluate_frame(frame))
    del frame
    return numpy_s, core_s


def dask_workers(paths: list, program: exemplar.Program) -> float:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, wait

    import exemplar.dask

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit=0) as cluster:
        with Client(cluster):
            ddf = dd.read_parquet([str(p) for p in paths]).persist()
            wait(ddf)

            def run() -> None:
                scores = exemplar.dask.evaluate(ddf, program).persist()
                wait(scores)
                del scores

            run()  # each worker compiles the program once
            return median(run)


def spark_workers(paths: list, program: exemplar.Program) -> tuple:
    """Scoring on Spark, and Spark's own Arrow round trip to Python and back (`mapInArrow` of a
    function that returns its batches): the floor under any Python code on Spark."""
    from pyspark.sql import SparkSession

    import exemplar.spark

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "10g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        df = spark.read.parquet(*[str(p) for p in paths]).repartition(2 * len(paths)).cache()
        df.count()

        def run(scored: bool) -> None:
            out = exemplar.spark.evaluate(df, program) if scored else df.mapInArrow(lambda batches: batches, df.schema)
            out.write.format("noop").mode("overwrite").save()

        run(True)
        return median(lambda: run(True)), median(lambda: run(False))
    finally:
        spark.stop()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    parts = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    program = standard_program()
    warnings.simplefilter("ignore", FutureWarning)  # PySpark 4.3 warns of pandas 3
    with tempfile.TemporaryDirectory() as folder:
        paths = write_parts(Path(folder), n, parts)
        numpy_s, core_s = one_process(paths, program)
        dask_s = dask_workers(paths, program)
        spark_s, floor_s = spark_workers(paths, program)
    print(f"{n:,} rows of the standard job in {parts} parts; medians of 3 runs on {os.cpu_count()} cores")
    print("| method | rows/s | vs one process | vs the numpy/pandas code |")
    print("|---|---|---|---|")
    for name, s in [
        ("numpy/pandas, one process", numpy_s),
        ("`evaluate_frame`, one process, 1 thread", core_s),
        ("`exemplar.dask.evaluate`, 2 worker processes × 1 thread", dask_s),
        ("`exemplar.spark.evaluate`, Spark local[2]", spark_s),
        ("Spark local[2], `mapInArrow` returning its input (Spark's floor)", floor_s),
    ]:
        print(f"| {name} | {n / s / 1e6:.2f} M | {core_s / s:.2f} | {numpy_s / s:.2f} |")


if __name__ == "__main__":
    main()
