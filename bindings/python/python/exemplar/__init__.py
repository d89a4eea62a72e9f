"""exemplar: the exact, explainable rules of "one belt, five zones" (一带五区) programs.

Scores, bands, vetoes, selection, rewards to the fen, rectification, titles and oversight, computed
by the Rust core; this package is a thin layer for pandas, polars, pyarrow and numpy users.

>>> import exemplar
>>> program = exemplar.Program.default()
>>> year = exemplar.sample_year()                      # the committed sample year, as pandas
>>> scores = program.evaluate_frame(year)              # one row per report, columnar
>>> scores.columns[:6].tolist()
['org_id', 'scheme', 'score', 'stars', 'standing', 'vetoed']
>>> e = program.evaluate(year.iloc[0].to_dict())       # one report, explained
>>> round(e.score, 2) == round(float(scores["score"].iloc[0]), 2)
True
"""

from exemplar._exemplar import (
    Allocation,
    Appeals,
    Evaluation,
    ExemplarError,
    FileError,
    InputError,
    LifecycleError,
    PolicyError,
    Problem,
    Procedure,
    RectificationCase,
    RuleFileError,
    Selection,
    ShapeError,
    Title,
    UnknownSchemeError,
    Year,
    __version__,
    decision_diff,
)
from exemplar._weights import Sensitivity, sensitivity, stability
from exemplar._api import (
    Decisions,
    Program,
    allocate,
    annual_workbook,
    decide,
    designate,
    load_year,
    oversight_status,
    read_oversight,
    sample_columns,
    sample_year,
    select,
    year_over_year,
)

__all__ = [
    "Allocation",
    "Appeals",
    "Decisions",
    "Evaluation",
    "ExemplarError",
    "FileError",
    "InputError",
    "LifecycleError",
    "PolicyError",
    "Problem",
    "Procedure",
    "Program",
    "RectificationCase",
    "RuleFileError",
    "Selection",
    "Sensitivity",
    "ShapeError",
    "Title",
    "UnknownSchemeError",
    "Year",
    "__version__",
    "allocate",
    "annual_workbook",
    "decide",
    "decision_diff",
    "designate",
    "load_year",
    "oversight_status",
    "read_oversight",
    "sample_columns",
    "sample_year",
    "select",
    "sensitivity",
    "stability",
    "year_over_year",
]
