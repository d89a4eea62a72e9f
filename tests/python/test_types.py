"""The TypedDicts in `exemplar.types` describe what the library really returns: every dict of a
sample year's results has each required key of its type, and no key the type does not name."""

import typing

import exemplar
from exemplar import types

from conftest import DATA


def conforms(value, hint, where):
    """Checks `value` against a type hint: TypedDict keys recursively, containers by element."""
    origin = typing.get_origin(hint)
    if typing.is_typeddict(hint):
        assert isinstance(value, dict), where
        hints = typing.get_type_hints(hint)
        missing = hint.__required_keys__ - value.keys()
        unknown = value.keys() - hints.keys()
        assert not missing and not unknown, f"{where}: missing {missing}, unknown {unknown}"
        for k, v in value.items():
            conforms(v, hints[k], f"{where}.{k}")
    elif origin is list:
        (item,) = typing.get_args(hint)
        for i, v in enumerate(value):
            conforms(v, item, f"{where}[{i}]")
    elif origin is dict:
        _, item = typing.get_args(hint)
        for k, v in value.items():
            conforms(v, item, f"{where}[{k}]")
    elif origin is typing.Union:  # Optional[...]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is not None:
            conforms(value, args[0], where)
    elif hint is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), where
    else:
        assert isinstance(value, hint), f"{where}: {value!r} is not {hint}"


def test_every_result_has_the_shape_its_type_says():
    program = exemplar.Program.default()
    year = exemplar.load_year(exemplar.sample_year(), program)
    evaluations = program.evaluate_year(year)
    selection = exemplar.select(program, year)
    oversight = exemplar.read_oversight(DATA / "oversight_2023.json", DATA / "oversight_records_2023.csv")
    vetoed = next(e for e in evaluations if e.vetoed)
    lax = next(e for e in evaluations if e.weak_lax)
    checks = [
        (program.schemes, typing.List[types.Scheme]),
        (program.indicators, typing.List[types.Indicator]),
        (program.events, typing.List[types.EventKind]),
        (program.settings, types.Settings),
        (vetoed.vetoes + lax.weak_lax, typing.List[types.Hit]),
        (evaluations[0].criteria, typing.List[types.CriterionRow]),
        ([e.gap() for e in evaluations[:50]], typing.List[types.Gap]),
        (year.organizations, typing.List[types.Organization]),
        (program.designate(year, evaluations), typing.List[types.Designation]),
        (selection.named, typing.List[types.Named]),
        (selection.not_named, typing.List[types.NotNamed]),
        (selection.reward().awards, typing.List[types.Award]),
        (exemplar.year_over_year({2023: evaluations}, year), types.YearOverYear),
        (exemplar.oversight_status(program, oversight, year, "2023-12-31"), types.OversightStatus),
    ]
    for value, hint in checks:
        assert value, hint
        conforms(value, hint, str(hint))
