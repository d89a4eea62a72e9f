"""Shared paths and objects for the Python tests; the fixtures folder is the one the Rust and C
tests replay."""

import json
import pathlib

import numpy as np
import pandas as pd

import pytest

import exemplar

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DATA = ROOT / "examples" / "data"


def case(name: str) -> dict:
    return json.loads((FIXTURES / name / "case.json").read_text(encoding="utf-8"))


def fixture_program(name: str, c: dict) -> exemplar.Program:
    if c["program"] == "default":
        return exemplar.Program.default()
    return exemplar.Program.from_file(FIXTURES / name / c["program"])


@pytest.fixture(scope="session")
def program() -> exemplar.Program:
    return exemplar.Program.default()


@pytest.fixture(scope="session")
def sample():
    return exemplar.sample_year()


TEXT = {"org_id", "scheme", "area", "period", "events"}


def table_frame(columns):
    """A table of the fixture as pandas, a column name given twice kept twice."""
    parts = []
    for name, values in columns:
        dtype = object if name in TEXT else float
        parts.append(pd.Series([np.nan if v is None and dtype is float else v for v in values], dtype=dtype, name=name))
    return pd.concat(parts, axis=1)
