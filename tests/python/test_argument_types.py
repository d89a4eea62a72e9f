"""Every public callable of the package, given a value of the wrong type for any one of its
arguments, raises an ExemplarError that says what to pass, never Python's TypeError,
AttributeError or ValueError: the invariant is checked argument by argument over every method
and function, so a new one is covered when it is added."""

import datetime
import inspect

import pytest

import exemplar
from exemplar import _exemplar
from conftest import DATA, case

# Values of types no argument takes: an arbitrary object, a complex number, a list of objects.
WRONG = [object(), 1j, [object()]]

HTT = {"org_id": "HTT", "area": "relocation_follow_up", "period": "2023", **case("default_relocation")["reports"][0]["values"]}


@pytest.fixture(scope="module")
def world(program, tmp_path_factory):
    """One value of the right type for every argument name, and one object of every class."""
    tmp = tmp_path_factory.mktemp("types")
    year = exemplar.load_year(exemplar.sample_year(n=40), program)
    evaluations = year.evaluate(program._inner)
    selection = year.select(program)
    allocation = selection.reward()
    procedure = exemplar.Procedure.start(program, "A1", "rural_revitalization", "2023-05-01")
    title_procedure = exemplar.Procedure.start(program, "A1", "rural_revitalization", "2023-05-01")
    for i, s in enumerate(["application", "review", "field_inspection", "clearance", "decision", "public_notice"]):
        title_procedure.advance(program, s, datetime.date(2023, 5, 10 + 2 * i))
    title_procedure.advance(program, "conferral", "2023-07-10")
    designation = {"org_id": "XS", "county": "禄丰市", "reasons": ["书记空缺"]}
    values = {
        "program": program,
        "newer": program,
        "year": year,
        "report": HTT,
        "table": exemplar.sample_year(n=5),
        "source": exemplar.sample_year(n=5),
        "text": exemplar.Program.default_toml(),
        "path": str(tmp / "out.xlsx"),
        "language": "en",
        "evaluations": evaluations,
        "evaluation": evaluations[0],
        "scheme": "relocation_follow_up",
        "org_id": "HTT",
        "period": "2023",
        "goal": "reach",
        "points": True,
        "threads": 1,
        "state": {},
        "filing": {},
        "review": {},
        "id": "x",
        "stage": "review",
        "on": "2024-01-10",
        "opened": "2023-01-10",
        "due": "2023-03-31",
        "as_of": "2023-12-31",
        "posted": "2024-01-10",
        "designation": designation,
        "liaison_cadre": "王",
        "first_secretary": "李",
        "issuer": "中共楚雄州委组织部",
        "contact": "0878-0000000",
        "score": 80.0,
        "satisfied": 5,
        "dissatisfied": 5,
        "procedure": title_procedure,
        "name_zh": "五星级党组织",
        "tier": 5,
        "fen": 100,
        "passed": True,
        "note": "",
        "ground": "x",
        "oversight": exemplar.read_oversight(DATA / "oversight_2023.json", DATA / "oversight_records_2023.csv"),
        "weak_lax": {},
        "procedure_incomplete": {},
        "pool_fen": 1_000_000,
        "weights": {"A": 1, "B": 2},
        "ids": ["A", "B"],
        "amounts_fen": [1, 2],
        "policy": "proportional",
        "floor_fen": 0,
        "cap_fen": 1_000_000,
        "threshold": 0,
        "tiers": {},
        "equal": False,
        "before": selection,
        "after": selection,
        "paid_before": allocation,
        "paid_after": allocation,
        "setup_json": DATA / "oversight_2023.json",
        "records_csv": DATA / "oversight_records_2023.csv",
        "n": 5,
        "seed": 1,
        "years": {2023: evaluations},
        "columns": exemplar.sample_columns("relocation_follow_up", 5),
        "runs": 1,
        "fresh": False,
        "calendar": {},
        "section": "build_up",
        "study": {"draws": 2},
        "draws": 2,
    }
    # Arguments of the same name and another type.
    overrides = {
        ("Title", "record_award", "year"): 2024,
        ("", "sample_year", "year"): 2023,
        ("", "sample_year_table", "year"): 2023,
        ("", "year_over_year", "year"): year,
    }
    objects = {
        "Allocation": allocation,
        "Appeals": exemplar.Appeals(program),
        "Evaluation": evaluations[0],
        "Procedure": procedure,
        "Program": program,
        "RectificationCase": exemplar.RectificationCase.open(program, designation, "2023-01-10"),
        "Selection": selection,
        "Sensitivity": exemplar.sensitivity(program, year, draws=2),
        "Title": exemplar.Title.confer(program, title_procedure, "五星级党组织", 5),
        "Year": year,
    }
    return values, overrides, objects


def callables():
    """(class name, or "" for a function; name) of every public method and function."""
    out = []
    for name in exemplar.__all__:
        obj = getattr(exemplar, name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for m in dir(obj):
                if getattr(tuple, m, None) is getattr(obj, m):  # a NamedTuple's count and index
                    continue
                if not m.startswith("_") and callable(getattr(obj, m)) and not inspect.isclass(getattr(obj, m)):
                    out.append((name, m))
        elif callable(obj) and not inspect.isclass(obj):
            out.append(("", name))
    for name in dir(_exemplar):
        obj = getattr(_exemplar, name)
        if callable(obj) and not inspect.isclass(obj) and ("", name) not in out:
            out.append(("", name))
    return out


@pytest.mark.parametrize("owner, name", callables(), ids=lambda x: x or "-")
def test_a_wrong_type_for_any_argument_is_an_exemplar_error(world, owner, name):
    values, overrides, objects = world
    if owner:
        f = getattr(objects[owner], name)
    else:
        f = getattr(exemplar, name, None) or getattr(_exemplar, name)
    params = [p for p in inspect.signature(f).parameters.values() if p.name not in ("self", "cls")]
    for k, wrong_param in enumerate(params):
        for wrong in WRONG:
            kwargs = {}
            for p in params:
                if p is wrong_param:
                    kwargs[p.name] = wrong
                elif p.default is inspect.Parameter.empty:
                    kwargs[p.name] = overrides.get((owner, name, p.name), values[p.name])
            with pytest.raises(exemplar.ExemplarError) as err:
                f(**kwargs)
            assert str(err.value), (owner, name, wrong_param.name)


def test_the_message_says_what_to_pass_and_the_note_which_argument(world):
    _, _, objects = world
    with pytest.raises(exemplar.PolicyError, match=r"^pass text \(str\), not 1 \(int\)") as err:
        objects["RectificationCase"].assign("王", 1)
    assert err.value.__notes__ == ["while processing 'first_secretary'"]
    with pytest.raises(exemplar.PolicyError, match=r"^pass an exemplar\.Year \(from load_year\), not 'y' \(str\)"):
        exemplar.annual_workbook(objects["Program"], "y", "out.xlsx")
    with pytest.raises(exemplar.PolicyError, match=r"^pass True or False, not 'yes' \(str\)"):
        objects["Title"].re_review("2024-03-01", "yes")
