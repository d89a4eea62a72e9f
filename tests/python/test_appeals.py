"""Appeals (申诉复核) from Python: the selection fixture's B1 appeals, is upheld, enters the named
list, and the decision diff moves the money to the fen (worked in core/tests/appeals.rs);
illegal steps raise LifecycleError."""

from pathlib import Path

import pytest

import exemplar

DIR = Path(__file__).parents[1] / "fixtures" / "selection"
FILING = {
    "org_id": "B1",
    "scheme": "b",
    "period": "2023",
    "published": "2024-01-08",
    "filed": "2024-01-10",
    "criteria": ["work", "service"],
    "claimed": {"work": 100, "service": 50},
    "reason": "台账漏报",
}
UPHELD = {"reviewer": "县委组织部复核组", "date": "2024-01-15", "outcome": "upheld", "reason": "台账核实"}


def setup():
    base = (DIR / "program.toml").read_text(encoding="utf-8")
    program = exemplar.Program.from_toml(f'{base}\n[selection]\ndisqualifying_events = ["discipline"]\nmin_stars = 4\ntie_break = ["service"]\n')
    return program, exemplar.load_year(DIR / "year.csv", program)


def select(program, year):
    s = exemplar.select(program, year, weak_lax={"W1": "书记空缺"}, procedure_incomplete={"P1": "at review"})
    return s, s.reward()


def test_an_upheld_appeal_enters_the_list_and_the_diff_moves_the_money():
    program, year = setup()
    before, paid_before = select(program, year)
    appeals = exemplar.Appeals(program)
    appeals.file(year, FILING)
    appeal = appeals.review(year, "B1/b/2023", UPHELD)
    assert appeal["review"]["outcome"] == "upheld"
    step = appeals.record[1]
    assert (step["before"]["score"], step["after"]["score"], step["after"]["stars"]) == (81.0, 95.0, 5)
    after, paid_after = select(program, appeals.apply(year))
    assert [n["org_id"] for n in after.named] == ["A1", "A2", "B1", "A4"]
    d = exemplar.decision_diff(before, paid_before, after, paid_after)
    assert [(m["org_id"], m["before_fen"], m["after_fen"]) for m in d["entered"]] == [("B1", 0, 25000)]
    assert [(m["org_id"], m["before_fen"], m["after_fen"]) for m in d["left"]] == [("A3", 24000, 0)]
    assert [m["change_fen"] for m in d["changed"]] == [-351, -333, -316]
    assert d["moved_fen"] == 25000
    # The state round-trips, and the record exports as CSV with the program's hash.
    again = exemplar.Appeals.from_dict(program, appeals.to_dict())
    assert again.record == appeals.record
    assert program.content_hash in appeals.record_csv()


def test_illegal_steps_raise_lifecycle_errors():
    program, year = setup()
    appeals = exemplar.Appeals(program)
    with pytest.raises(exemplar.LifecycleError, match="2024-01-15 at the latest"):
        appeals.file(year, {**FILING, "filed": "2024-01-16"})
    appeals.file(year, FILING)
    with pytest.raises(exemplar.LifecycleError, match="already appealed"):
        appeals.file(year, FILING)
    with pytest.raises(exemplar.LifecycleError, match="by 2024-01-24"):
        appeals.review(year, "B1/b/2023", {**UPHELD, "date": "2024-01-25"})
    appeals.review(year, "B1/b/2023", {**UPHELD, "outcome": "rejected"})
    with pytest.raises(exemplar.LifecycleError, match="closed, rejected"):
        appeals.review(year, "B1/b/2023", UPHELD)
    fresh = exemplar.Appeals(program)
    fresh.file(year, FILING)
    with pytest.raises(exemplar.PolicyError, match="gives the values it sets"):
        fresh.review(year, "B1/b/2023", {**UPHELD, "outcome": "adjusted"})
