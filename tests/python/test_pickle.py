"""Programs and errors cross process boundaries as Dask, Spark and multiprocessing send them (by
pickle): a program as its rules and content hash, compiled once per process; every exception
class with its fields."""

import pickle

import pandas as pd
import pytest

import exemplar
from conftest import DATA, FIXTURES, case

HTT = {"org_id": "HTT", "area": "relocation_follow_up", "period": "2023", **case("default_relocation")["reports"][0]["values"]}


def test_a_program_pickles_as_its_rules_and_content_hash():
    selection = exemplar.Program.from_file(FIXTURES / "selection" / "program.toml")
    for p in (exemplar.Program.default(), exemplar.Program.default().with_language("en"), selection):
        q = pickle.loads(pickle.dumps(p))
        assert (q.content_hash, q.language, q.to_json()) == (p.content_hash, p.language, p.to_json())
    # Each program is compiled once per process: a second unpickling takes the first's.
    a, b = (pickle.loads(pickle.dumps(selection)) for _ in range(2))
    assert a._inner is b._inner
    default = exemplar.Program.default()
    assert pickle.loads(pickle.dumps(default)).evaluate(HTT).to_dict() == default.evaluate(HTT).to_dict()


def raised(f):
    with pytest.raises(exemplar.ExemplarError) as err:
        f()
    return err.value


def test_every_exception_class_round_trips_with_its_fields(tmp_path):
    program = exemplar.Program.default()
    other = exemplar.Program.from_file(FIXTURES / "selection" / "program.toml")
    year = exemplar.load_year(DATA / "sample_year.csv", program)
    case_ = exemplar.RectificationCase.open(program, {"org_id": "XS", "county": "禄丰市", "reasons": ["r"]}, "2023-01-10")
    errors = {
        exemplar.InputError: raised(lambda: program.evaluate({**HTT, "job_fairs": -1})),
        exemplar.RuleFileError: raised(lambda: exemplar.Program.from_toml('[program]\nid = "Bad"\n')),
        exemplar.PolicyError: raised(lambda: exemplar.allocate(100, {"a": 1, "b": 1}, floor_fen=60)),
        exemplar.UnknownSchemeError: raised(lambda: program.evaluate_frame(pd.DataFrame([HTT]), scheme="nowhere")),
        exemplar.ShapeError: raised(lambda: year.select(other)),
        exemplar.LifecycleError: raised(lambda: case_.close("2023-02-01")),
        exemplar.FileError: raised(lambda: exemplar.Program.from_file(tmp_path / "absent.toml")),
        exemplar.ExemplarError: exemplar.ExemplarError("raised by hand"),
    }
    for cls, e in errors.items():
        assert type(e) is cls, (cls, e)
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is cls and str(back) == str(e) and back.message_zh == e.message_zh, cls
        assert vars(back) == vars(e), cls
    assert errors[exemplar.InputError].field == "job_fairs"
    assert pickle.loads(pickle.dumps(errors[exemplar.RuleFileError])).problems == errors[exemplar.RuleFileError].problems
