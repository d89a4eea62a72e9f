"""A year loaded from a table is the year read from its CSV: the same organizations, evaluations,
designations, selection and rewards, scored and decided in the core's columns; its reports (for
oversight and for writing the year back) are read when first needed."""

import json

import polars as pl
import pytest

import exemplar
from conftest import DATA


def test_a_table_loads_as_its_csv_reads(program, sample):
    from_csv = exemplar.load_year(DATA / "sample_year.csv", program)
    from_table = exemplar.load_year(sample, program)
    assert len(from_table) == len(from_csv) == len(sample)
    assert from_table.organizations == from_csv.organizations
    a, b = program.evaluate_year(from_csv), program.evaluate_year(from_table)
    assert [e.to_dict() for e in a] == [e.to_dict() for e in b]
    assert exemplar.designate(program, from_table) == exemplar.designate(program, from_csv)
    want = exemplar.select(program, from_csv)
    assert exemplar.select(program, from_table).to_dict() == want.to_dict()
    # Decisions from the whole year's columns, and from the evaluations given, agree.
    assert exemplar.select(program, from_table, a).to_dict() == want.to_dict()
    assert exemplar.designate(program, from_table, b) == exemplar.designate(program, from_csv)
    assert exemplar.select(program, from_table).reward().to_dict() == want.reward().to_dict()
    # Any one report, found and explained on demand, is the one the whole year gives.
    for k in range(0, len(a), 211):
        one = from_table.evaluation(program._inner, a[k].org_id, a[k].scheme, a[k].period)
        assert one.to_dict() == a[k].to_dict()
    with pytest.raises(exemplar.InputError, match="no such organization"):
        from_table.evaluation(program._inner, "nobody", a[0].scheme)
    # The reports are read from the table when first needed: written back, the same CSV.
    assert from_table.to_csv_text(program._inner) == from_csv.to_csv_text(program._inner)
    o = exemplar.read_oversight(DATA / "oversight_2023.json", DATA / "oversight_records_2023.csv")
    cal = json.loads((DATA / "calendar_2023.json").read_text())
    assert exemplar.oversight_status(program, o, from_table, "2023-12-31", cal) == exemplar.oversight_status(
        program, o, from_csv, "2023-12-31", cal
    )


def test_a_table_that_is_not_one_year_says_why(program, sample):
    with pytest.raises(exemplar.InputError, match="needs the text column `township`"):
        exemplar.load_year(sample.drop(columns=["township"]), program)
    second = sample.index[sample["org_id"] == sample["org_id"].iloc[0]][1]
    moved = sample.copy()
    moved.loc[second, "county"] = "某县"
    with pytest.raises(exemplar.InputError, match="described differently on row 0"):
        exemplar.load_year(moved, program)
    twice = pl.from_pandas(sample).with_columns(pl.col("scheme").first().alias("scheme"))
    with pytest.raises(exemplar.InputError, match="does not apply|reported twice"):
        exemplar.load_year(twice, program)
    other = exemplar.Program.from_toml((DATA / "standard_job.toml").read_text())
    year = exemplar.load_year(sample, program)
    with pytest.raises(exemplar.ExemplarError, match="another program"):
        exemplar.select(other, year)


def test_a_table_loads_alike_whatever_its_strings_and_nulls(program, sample):
    """Text as large or plain Arrow strings; a missing value as a null over NaN (pandas gives
    those, read in place) or over another number (copied, NaN written at the null): one year."""
    import numpy as np
    import pyarrow as pa

    want = exemplar.select(program, exemplar.load_year(sample, program)).to_dict()
    arrow = pa.Table.from_pandas(sample, preserve_index=False)
    assert pa.types.is_large_string(arrow.schema.field("org_id").type)
    assert any(c.null_count for c in arrow.columns)
    plain = arrow.cast(
        pa.schema([pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f for f in arrow.schema])
    )
    assert exemplar.select(program, exemplar.load_year(plain, program)).to_dict() == want
    columns = {}
    for name in arrow.column_names:
        column = arrow.column(name)
        if pa.types.is_floating(column.type) and column.null_count:
            values = column.to_numpy(zero_copy_only=False)
            column = pa.array(np.nan_to_num(values, nan=7.0), mask=np.isnan(values))
            held = np.frombuffer(column.buffers()[1], dtype="float64")[: len(column)]
            assert column.null_count and not np.isnan(held).any()
        columns[name] = column
    nulls_over_sevens = pa.table(columns)
    assert exemplar.select(program, exemplar.load_year(nulls_over_sevens, program)).to_dict() == want
