"""Every bad input an adversarial pass found at the Python boundary: each is an ExemplarError
that says what to pass instead (the shared table fixture itself is replayed in test_fixtures)."""


import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import exemplar
from conftest import case, fixture_program, table_frame

TABLES = case("tables")
PROGRAM = fixture_program("tables", TABLES)


def test_table_errors_name_organization_scheme_column_and_row_label():
    t = next(t for t in TABLES["tables"] if t["name"].startswith("an absent assessor"))
    frame = table_frame(t["columns"])
    frame.index = ["第7行"]
    with pytest.raises(exemplar.InputError) as err:
        PROGRAM.evaluate_frame(frame)
    e = err.value
    assert (e.org_id, e.scheme, e.field, e.field_kind, e.row) == ("B5", "classification", "superior.duties", "indicator", "第7行")
    assert "row 第7行" in str(e)
    # Arrow and polars name the row by its number.
    with pytest.raises(exemplar.InputError) as err:
        PROGRAM.evaluate_frame(pl.from_pandas(frame))
    assert err.value.row == 0 and err.value.field == "superior.duties"


def test_tables_of_other_shapes_say_what_to_pass(program, sample):
    with pytest.raises(exemplar.InputError, match="one column"):
        program.evaluate_frame(sample["job_fairs"])
    with pytest.raises(exemplar.InputError, match="one column"):
        program.evaluate_frame(pa.chunked_array([[1.0, 2.0]]))
    mixed = sample.copy()
    mixed["job_fairs"] = mixed["job_fairs"].astype(object)
    mixed.loc[mixed.index[0], "job_fairs"] = "ten"
    with pytest.raises(exemplar.InputError, match="job_fairs"):
        program.evaluate_frame(mixed)
    cols = {"org_id": np.array(["a"]), "scheme": np.array(["relocation_follow_up"]), "job_fairs": np.array(["ten"])}
    with pytest.raises(exemplar.InputError, match="job_fairs"):
        program.evaluate_frame(cols)
    twice = pd.concat([sample[["org_id", "scheme", "job_fairs"]], sample[["job_fairs"]]], axis=1)
    with pytest.raises(exemplar.InputError, match="column `job_fairs` appears twice"):
        program.evaluate_frame(twice)
    # A year column read as floats (2023.0) is the year; 2023.5 is not a period.
    floats = sample.copy()
    floats["period"] = 2023.0
    np.testing.assert_array_equal(program.evaluate_frame(floats)["score"], program.evaluate_frame(sample)["score"])
    floats.loc[floats.index[0], "events"] = "mass_incident@2023-05-01"
    floats.loc[floats.index[1], "period"] = 2023.5
    with pytest.raises(exemplar.InputError, match="period `2023.5`"):
        program.evaluate_frame(floats)
    # A polars LazyFrame is collected.
    lazy = program.evaluate_frame(pl.from_pandas(sample).lazy())
    np.testing.assert_array_equal(lazy["score"].to_numpy(), program.evaluate_frame(sample)["score"].to_numpy())


def test_polars_works_wherever_pandas_does(program, sample):
    want = exemplar.select(program, exemplar.load_year(sample, program)).reward()
    for table in [pl.from_pandas(sample), pl.from_pandas(sample).lazy(), pa.Table.from_pandas(sample)]:
        got = exemplar.select(program, exemplar.load_year(table, program)).reward()
        assert got.amounts_fen == want.amounts_fen and got.rest_fen == want.rest_fen


def test_reports_with_text_that_is_not_what_it_claims(program):
    row = {"org_id": "HTT", "scheme": "relocation_follow_up", **case("default_relocation")["reports"][0]["values"]}
    assert program.evaluate({**row, "period": 2023}).period == "2023"
    assert program.evaluate({**row, "period": 2023.0}).period == "2023"
    for bad in ["2023.0.0.0", "+2023", "0", "0000", "2023.5"]:
        with pytest.raises(exemplar.InputError, match="period"):
            program.evaluate({**row, "period": bad})
    with pytest.raises(exemplar.InputError, match="events"):
        program.evaluate({**row, "period": "2023", "events": 5})
    case_ = exemplar.RectificationCase.open(program, {"org_id": "XS", "county": "禄丰市", "reasons": ["r"]}, "2023-01-10")
    for bad in ["2023-03-01T99:99", "2023-3-1", "+2023-03-01"]:
        with pytest.raises(exemplar.InputError, match="not a date"):
            case_.close(bad)
    with pytest.raises(exemplar.InputError, match="time of day"):
        case_.close(pd.Timestamp("2023-03-01 10:00"))


def test_money_and_weights_beyond_the_limits_are_policy_errors():
    with pytest.raises(exemplar.PolicyError, match="pool_fen must be a whole number from 0 to"):
        exemplar.allocate(2**70, {"a": 1})
    with pytest.raises(exemplar.PolicyError, match="weight"):
        exemplar.allocate(100, {"a": 1e300, "b": 1})
    with pytest.raises(exemplar.PolicyError, match="appears twice"):
        exemplar._exemplar.apportion(100, ["a", "a"], [5, 1], threshold=3)


def test_duplicates_and_contradictions(program, sample):
    year = exemplar.load_year(sample, program)
    evals = program.evaluate_year(year)
    with pytest.raises(exemplar.InputError, match="evaluated twice"):
        exemplar.select(program, year, evals + evals)
    with pytest.raises(exemplar.InputError, match="evaluated twice"):
        exemplar.designate(program, year, evals + evals)
    with pytest.raises(exemplar.InputError, match="both a holiday and a make-up working day"):
        exemplar.Procedure.start(program, "A1", "rural_revitalization", "2023-05-01",
                                 calendar={"holidays": ["2023-10-07"], "workdays": ["2023-10-07"]})


def _conferred(program):
    p = exemplar.Procedure.start(program, "A1", "rural_revitalization", "2023-05-01")
    for s, day in zip(["application", "review", "field_inspection", "clearance", "decision", "public_notice", "conferral"],
                      ["2023-05-10", "2023-05-20", "2023-05-30", "2023-06-10", "2023-06-20", "2023-06-30", "2023-07-20"]):
        p.advance(program, s, day)
    return p


def test_titles_and_saved_states(program):
    p = _conferred(program)
    with pytest.raises(exemplar.InputError, match="tier"):
        exemplar.Title.confer(program, p, "示范", 9)
    t = exemplar.Title.confer(program, p, "示范", 5)
    for year in [2040, 9999]:
        with pytest.raises(exemplar.LifecycleError, match="outside the title's term"):
            t.record_award(year, 100)
    t.record_award(2023, 100)
    saved = t.to_dict()
    assert exemplar.Title.from_dict(program, saved).to_dict() == saved
    with pytest.raises(exemplar.LifecycleError, match="not after the program's"):
        exemplar.Title.from_dict(program, {**saved, "expires": "2099-01-01"})
    assert exemplar.Procedure.from_dict(program, p.to_dict()).to_dict() == p.to_dict()
    with pytest.raises(exemplar.LifecycleError, match="no stage"):
        exemplar.Procedure.from_dict(program, {**p.to_dict(), "stages": []})
    c = exemplar.RectificationCase.open(program, {"org_id": "XS", "county": "禄丰市", "reasons": ["r"]}, "2023-01-10")
    state = c.to_dict()
    assert "pass_mark" not in state  # the program's, not the case's
    assert exemplar.RectificationCase.from_dict(program, state).to_dict() == state
    with pytest.raises(exemplar.LifecycleError, match="does not fit"):
        exemplar.RectificationCase.from_dict(program, {**state, "status": "closed"})
    with pytest.raises(exemplar.InputError):
        c.check("2023-11-01", 80, -1, 0)


def test_standings_rank_worst_to_best_in_pandas_polars_and_pyarrow(program, sample):
    frame = program.evaluate_frame(sample)
    below_good = set(frame.loc[frame["standing"] < "good", "standing"].astype(str))
    assert below_good == {"average", "lagging"}
    got = program.evaluate_frame(pl.from_pandas(sample))
    assert set(got.filter(pl.col("standing") < "good")["standing"].cast(pl.String)) == below_good
    arrow = program.evaluate_frame(pa.Table.from_pandas(sample)).column("standing")
    assert arrow.type.ordered and arrow.chunk(0).dictionary.to_pylist() == ["lagging", "average", "good", "advanced"]


def test_reprs_and_the_rule_file_to_copy(program, sample):
    year = exemplar.load_year(sample, program)
    assert repr(year) == "<exemplar.Year 1754 reports of 1488 organizations, 2023>"
    s = exemplar.select(program, year)
    assert repr(s).startswith("<exemplar.Selection 200 named of target 200")
    text = exemplar.Program.default_toml()
    assert "#" in text and exemplar.Program.from_toml(text).to_dict() == program.to_dict()
