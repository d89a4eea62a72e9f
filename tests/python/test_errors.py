"""Every documented exception, raised by the bad input that causes it; all are ExemplarError,
none is a bare RuntimeError or a Rust panic."""

import math

import pandas as pd
import pytest

import exemplar

from conftest import case

# A complete, valid relocation report (the shared fixture's HTT), so only the change is wrong.
ROW = {"org_id": "HTT", "area": "relocation_follow_up", "period": "2023", **case("default_relocation")["reports"][0]["values"]}


def test_hierarchy():
    for cls in (exemplar.RuleFileError, exemplar.InputError, exemplar.PolicyError, exemplar.LifecycleError, exemplar.FileError):
        assert issubclass(cls, exemplar.ExemplarError) and not issubclass(cls, RuntimeError)
    # An unknown scheme and disagreeing shapes are kinds of bad argument.
    for cls in (exemplar.UnknownSchemeError, exemplar.ShapeError):
        assert issubclass(cls, exemplar.PolicyError)


def test_errors_name_the_kind_of_mistake():
    program = exemplar.Program.default()
    with pytest.raises(exemplar.UnknownSchemeError, match="unknown scheme `nowhere`") as err:
        program.evaluate_frame(pd.DataFrame([ROW]), scheme="nowhere")
    assert err.value.scheme == "nowhere"
    with pytest.raises(exemplar.InputError) as err:
        program.evaluate({**ROW, "events": "flood"})
    assert (err.value.field, err.value.field_kind) == ("flood", "event")
    with pytest.raises(exemplar.InputError) as err:
        program.evaluate({**ROW, "job_fairs": -1})
    assert (err.value.field, err.value.field_kind, err.value.row) == ("job_fairs", "indicator", None)


def test_rule_file_error_lists_problems_with_lines():
    text = exemplar.Program.default_toml()
    line = text.splitlines().index('[program]') + 2  # the program's id is on the line after
    with pytest.raises(exemplar.RuleFileError) as err:
        exemplar.Program.from_toml(text.replace('[program]\nid = "', '[program]\nid = "Bad', 1))
    problems = err.value.problems
    assert len(problems) == 1 and isinstance(problems[0], exemplar.Problem)
    p = problems[0]
    assert p.line == line and p.place.startswith("program Bad") and "lower-case" in p.message
    assert str(p).startswith(f"line {line}, column") and repr(p).startswith("<exemplar.Problem line")
    with pytest.raises(exemplar.RuleFileError) as err:
        exemplar.Program.from_toml('[program]\nid = "x"\nname_zh = "x"\n[bands]\n[[schemes]]\nid = "Bad"\n')
    assert err.value.problems[0].place == "TOML"
    with pytest.raises(exemplar.RuleFileError, match="JSON"):
        exemplar.Program.from_json("{")


@pytest.mark.parametrize(
    "change, words",
    [
        ({"job_fairs": -1}, "negative"),
        ({"job_fairs": math.inf}, "finite"),
        ({"job_fairs": "ten"}, "not a number"),
        ({"colour": 3}, "unknown indicator"),
        ({"area": "space"}, "unknown scheme"),
        ({"period": "2023-13"}, "period"),
        ({"events": "flood"}, "unknown event"),
        ({"job_fairs": None, "persons_trained": float("nan")}, "missing"),
    ],
)
def test_input_errors_name_organization_field_and_rule(program, change, words):
    with pytest.raises(exemplar.InputError) as err:
        program.evaluate({**ROW, **change})
    assert "HTT" in str(err.value) and words in str(err.value)


def test_nested_and_non_mapping_reports(program):
    with pytest.raises(exemplar.InputError, match="mapping"):
        program.evaluate(["not", "a", "mapping"])
    with pytest.raises(exemplar.InputError, match="report"):
        program.evaluate({"org_id": "x", "scheme": "ethnic_unity", "period": "2023", "values": {"a": "b"}})


def test_policy_errors():
    with pytest.raises(exemplar.PolicyError, match="more than the pool"):
        exemplar.allocate(100, {"a": 1, "b": 1, "c": 1}, floor_fen=40)
    with pytest.raises(exemplar.PolicyError, match="unknown policy"):
        exemplar.allocate(100, {"a": 1}, policy="lottery")
    with pytest.raises(exemplar.PolicyError, match="twice"):
        exemplar._exemplar.apportion(10, ["a", "a"], [1, 1])
    with pytest.raises(exemplar.PolicyError):
        exemplar.allocate(100, {"a": float("nan")})


def test_lifecycle_and_file_errors(program):
    case = exemplar.RectificationCase.open(program, {"org_id": "XS", "county": "禄丰市", "reasons": ["r"]}, "2023-01-10")
    with pytest.raises(exemplar.LifecycleError, match="cannot close"):
        case.close("2023-02-01")
    with pytest.raises(exemplar.InputError, match="not a date"):
        case.close("2023-02-30")
    with pytest.raises(exemplar.FileError):
        exemplar.Program.from_file("/nonexistent/program.toml")
    with pytest.raises(exemplar.FileError):
        exemplar.load_year("/nonexistent/year.csv", program)


def test_sample_year_rejects_a_year_the_core_cannot_date():
    with pytest.raises(exemplar.InputError, match="period `100000`"):
        exemplar.sample_year(year=100000)
