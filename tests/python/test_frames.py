"""The columnar path: identical to single evaluation on the whole sample year, identical across
pandas, polars, pyarrow and numpy inputs, safe from many threads, and clear about bad columns."""

import threading

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import exemplar


def test_evaluate_and_evaluate_frame_agree_on_the_sample_year(program, sample):
    frame = program.evaluate_frame(sample)
    assert len(frame) == len(sample) == 1754
    for i, row in enumerate(sample.to_dict("records")):
        e = program.evaluate(row)
        assert frame["org_id"].iloc[i] == e.org_id
        assert frame["score"].iloc[i] == e.score
        stars = frame["stars"].iloc[i]
        assert (None if pd.isna(stars) else int(stars)) == e.stars
        standing = frame["standing"].iloc[i]
        assert (None if pd.isna(standing) else standing) == e.standing
        assert bool(frame["vetoed"].iloc[i]) == e.vetoed
        assert bool(frame["weak_lax"].iloc[i]) == bool(e.weak_lax)
        for cid, p in e.points():
            assert frame["pts_" + cid].iloc[i] == p


def test_pandas_polars_pyarrow_numpy_give_identical_numbers(program, sample):
    want = program.evaluate_frame(sample)
    got_pl = program.evaluate_frame(pl.from_pandas(sample))
    got_pa = program.evaluate_frame(pa.Table.from_pandas(sample))
    assert isinstance(got_pl, pl.DataFrame) and isinstance(got_pa, pa.Table)
    as_pd = [got_pl.to_pandas(), got_pa.to_pandas()]
    for other in as_pd:
        for col in want.columns:
            left, right = want[col].to_numpy(), other[col].to_numpy()
            if col.startswith("pts_") or col == "score":
                np.testing.assert_array_equal(left.astype(float), right.astype(float), err_msg=col)
            else:
                assert [None if pd.isna(x) else x for x in left] == [None if pd.isna(x) else x for x in right], col
    rural = sample[sample["scheme"] == "rural_revitalization"]
    cols = {c: rural[c].to_numpy(dtype=float) for c in program.schemes[1]["columns"] if c in rural}
    cols["org_id"] = rural["org_id"].to_numpy()
    got_np = program.evaluate_frame(cols, scheme="rural_revitalization")
    np.testing.assert_array_equal(got_np["score"], want.loc[rural.index, "score"].to_numpy())


def test_points_and_threads_options_change_nothing_but_the_columns(program, sample):
    want = program.evaluate_frame(sample)
    for threads in (0, 2, 3):
        pd.testing.assert_frame_equal(program.evaluate_frame(sample, threads=threads), want)
    lean = program.evaluate_frame(sample, points=False, threads=2)
    assert not [c for c in lean.columns if c.startswith("pts_")]
    pd.testing.assert_frame_equal(lean, want[lean.columns])


def test_a_frame_of_plain_numbers_read_in_place_scores_as_through_arrow(program, sample):
    # All-float columns go to the core as one array (no copy); a nullable column, through Arrow.
    rural = sample[sample["scheme"] == "rural_revitalization"].reset_index(drop=True)
    numbers = [c for c in program.schemes[1]["columns"] if c in rural]
    plain = rural[["org_id", *numbers]].astype({c: "float64" for c in numbers})
    nullable = plain.astype({numbers[0]: "Float64"})
    by_block = program.evaluate_frame(plain, scheme="rural_revitalization")
    by_arrow = program.evaluate_frame(nullable, scheme="rural_revitalization")
    pd.testing.assert_frame_equal(by_block, by_arrow)
    c_order = pd.DataFrame(np.ascontiguousarray(plain[numbers].to_numpy()), columns=numbers)
    c_order.insert(0, "org_id", plain["org_id"])
    pd.testing.assert_frame_equal(program.evaluate_frame(c_order, scheme="rural_revitalization"), by_block)


def test_many_threads_at_once_equal_one(program, sample):
    want = program.evaluate_frame(sample)
    results = [None] * 8

    def work(i):
        results[i] = program.evaluate_frame(sample)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        pd.testing.assert_frame_equal(r, want)


def test_missing_cell_is_an_error_naming_the_organization(program, sample):
    bad = sample.copy()
    i = bad.index[bad["scheme"] == "relocation_follow_up"][0]
    bad.loc[i, "job_fairs"] = np.nan
    with pytest.raises(exemplar.InputError) as err:
        program.evaluate_frame(bad)
    assert bad.loc[i, "org_id"] in str(err.value) and "job_fairs" in str(err.value)
    assert err.value.org_id == bad.loc[i, "org_id"]


def test_bad_columns_are_clear_errors(program, sample):
    bad = sample.copy()
    bad["job_fairs"] = bad["job_fairs"].astype(str)
    with pytest.raises(exemplar.InputError, match="job_fairs"):
        program.evaluate_frame(bad)
    bad = sample.copy()
    bad.loc[bad.index[0], "scheme"] = "nowhere"
    with pytest.raises(exemplar.InputError, match="nowhere"):
        program.evaluate_frame(bad)
    with pytest.raises(exemplar.PolicyError, match="scheme"):
        program.evaluate_frame(sample.drop(columns=["scheme"]))
    with pytest.raises(exemplar.InputError):
        program.evaluate_frame([1, 2, 3])
    neg = sample.copy()
    neg.loc[neg.index[0], "organizational_life"] = 120
    with pytest.raises(exemplar.InputError, match="between 0 and 100"):
        program.evaluate_frame(neg)


def test_empty_frame(program, sample):
    out = program.evaluate_frame(sample.iloc[0:0])
    assert len(out) == 0 and "score" in out.columns


def test_numpy_dict_with_a_scheme_array_and_bad_events(program, sample):
    want = program.evaluate_frame(sample)
    cols = {c: sample[c].to_numpy(dtype=float) for c in sample.columns if sample[c].dtype.kind in "fi"}
    cols["org_id"] = sample["org_id"].to_numpy()
    cols["scheme"] = sample["scheme"].to_numpy()
    kinds = sample["events"].fillna("").map(lambda s: [e.split("@")[0] for e in s.split(";") if e])
    for ev in program.events:  # a numpy dict carries event counts as columns
        cols[ev["id"]] = kinds.map(lambda k: k.count(ev["id"])).to_numpy(dtype=float)
    got = program.evaluate_frame(cols)
    np.testing.assert_array_equal(got["score"], want["score"].to_numpy())
    assert list(got["standing"][:3]) == [str(x) for x in want["standing"][:3]]
    bad = sample.copy()
    bad.loc[bad.index[2], "events"] = "flood@2023-05-01"
    with pytest.raises(exemplar.InputError, match="unknown event kind `flood`") as err:
        program.evaluate_frame(bad)
    assert err.value.org_id == bad.loc[bad.index[2], "org_id"]
    bad.loc[bad.index[2], "events"] = "mass_incident@2023-02-30"
    with pytest.raises(exemplar.InputError, match="not a date"):
        program.evaluate_frame(bad)
