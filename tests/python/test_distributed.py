"""Dask and Spark give exactly the results of one process: a LocalCluster of two worker processes
and Spark local[2], each on 1, 2 and 7 partitions. Scores, stars, flags and points are compared
bit for bit with evaluate_frame on the whole year; the designations, the selection and the
allocation with those made in one process; a bad row's error with the one raised in one process."""

import os
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import exemplar

PARTITIONS = [1, 2, 7]


@pytest.fixture(scope="module")
def year(sample):
    # Sorted by scheme, so that some partitions lack some schemes (and their points columns).
    return sample.sort_values(["scheme", "org_id"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def whole(program, year):
    return program.evaluate_frame(year)


@pytest.fixture(scope="module")
def decided(program, year):
    y = exemplar.load_year(year, program)
    selection = exemplar.select(program, y)
    return exemplar.designate(program, y), selection.to_dict(), selection.reward()


def bad_year(year):
    bad = year.copy()
    bad.loc[17, "masses_satisfaction"] = -3.0
    return bad


def same_bits(a, b):
    """Equal bit for bit: floats by their bytes (NaN where NaN), the rest by value."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        return np.array_equal(a.astype(np.float64).view(np.int64), b.astype(np.float64).view(np.int64))
    return np.array_equal(a, b)


def assert_same_scores(got, whole):
    assert list(got.columns) == list(whole.columns)
    for c in whole.columns:
        if c in ("org_id", "scheme", "standing"):
            assert got[c].astype(object).fillna("").tolist() == whole[c].astype(object).fillna("").tolist(), c
        elif c == "stars":
            assert got[c].fillna(0).astype(int).tolist() == whole[c].fillna(0).astype(int).tolist()
        else:
            assert same_bits(got[c], whole[c]), c


def assert_same_decisions(d, decided):
    designations, selection, paid = decided
    assert d.designations == designations
    assert d.selection.to_dict() == selection
    assert d.allocation.amounts_fen == paid.amounts_fen and d.allocation.rest_fen == paid.rest_fen
    assert len(d.selection.named) == 200 and len(designations) > 0


# ---- Dask ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    import distributed  # the test command installs the [dask] and [spark] extras: none is skipped
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.mark.parametrize("n", PARTITIONS)
def test_dask_scores_bit_for_bit(client, program, year, whole, n):
    import dask.dataframe as dd
    import exemplar.dask

    got = exemplar.dask.evaluate(dd.from_pandas(year, npartitions=n, sort=False), program).compute()
    assert_same_scores(got, whole)
    assert list(client.run(lambda: 1).values()) == [1, 1]  # two worker processes did it


@pytest.mark.parametrize("n", PARTITIONS)
def test_dask_decisions_to_the_fen(client, program, year, decided, n):
    import dask.dataframe as dd
    import exemplar.dask

    assert_same_decisions(exemplar.dask.decide(dd.from_pandas(year, npartitions=n, sort=False), program), decided)


def test_dask_bad_row_raises_its_own_error(client, program, year):
    import dask.dataframe as dd
    import exemplar.dask

    bad = bad_year(year)
    with pytest.raises(exemplar.InputError) as here:
        program.evaluate_frame(bad)
    with pytest.raises(exemplar.InputError) as there:
        exemplar.dask.evaluate(dd.from_pandas(bad, npartitions=7, sort=False), program).compute()
    # The pandas index travels with the rows, so even the row is the same.
    assert str(there.value) == str(here.value) and there.value.message_zh == here.value.message_zh
    assert (there.value.org_id, there.value.field, there.value.row) == (bad.org_id[17], "masses_satisfaction", 17)


# ---- Spark ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the executors run this environment's Python
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("OFF")
    yield session
    session.stop()


def spark_frame(spark, year, n):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PySpark 4.3 warns of pandas 3
        df = spark.createDataFrame(year)
    return df.coalesce(1) if n == 1 else df.repartition(n)


def by_report(frame):
    return frame.sort_values(["org_id", "scheme"]).reset_index(drop=True)


@pytest.mark.parametrize("n", PARTITIONS)
def test_spark_scores_bit_for_bit(spark, program, year, whole, n):
    import exemplar.spark

    df = spark_frame(spark, year, n)
    assert df.rdd.getNumPartitions() == n
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = exemplar.spark.evaluate(df, program).toPandas()
    # Spark shuffles rows among partitions: each report is compared with its own.
    assert_same_scores(by_report(got), by_report(whole))


@pytest.mark.parametrize("n", PARTITIONS)
def test_spark_decisions_to_the_fen(spark, program, year, decided, n):
    import exemplar.spark

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = exemplar.spark.decide(spark_frame(spark, year, n), program)
    assert_same_decisions(d, decided)


def test_spark_bad_row_raises_its_own_error(spark, program, year):
    import exemplar.spark

    bad = bad_year(year)
    with pytest.raises(exemplar.InputError) as here:
        program.evaluate_frame(bad)
    with pytest.raises(exemplar.InputError) as there, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with exemplar.spark.errors():
            exemplar.spark.evaluate(spark_frame(spark, bad, 2), program).toPandas()
    e, h = there.value, here.value
    assert (e.org_id, e.scheme, e.field, e.field_kind) == (h.org_id, h.scheme, h.field, h.field_kind)
    assert "a percent must be between 0 and 100, got -3" in str(e) and "百分比应在0至100之间" in e.message_zh


# ---- The decisions' table, on one node -----------------------------------------------------


def test_decide_refuses_a_flag_its_table_cannot_explain(program, year, whole):
    # Without the columns the vetoes test, a vetoed row's reason could not be worded.
    tested = [c for c in program.decision_columns if c in year.columns]
    table = pd.concat([year.drop(columns=tested), whole.drop(columns=["org_id", "scheme"])], axis=1)
    with pytest.raises(exemplar.InputError) as e:
        exemplar.decide(program, table)
    assert e.value.field in ("vetoed", "weak_lax") and "decision" not in str(e.value)
    assert ", ".join(program.decision_columns) in str(e.value)


def test_decide_refuses_a_score_not_in_hundredths(program, year, whole):
    scores = whole.drop(columns=["org_id", "scheme"]).copy()
    scores.loc[3, "score"] += 0.001
    with pytest.raises(exemplar.InputError) as e:
        exemplar.decide(program, pd.concat([year, scores], axis=1))
    assert (e.value.field, e.value.org_id) == ("score", year.org_id[3])
