"""Rectification, titles, year over year and oversight from Python, checked against the numbers
the Rust tests work by hand."""

import datetime

import pytest

import exemplar
from conftest import DATA


def test_case_through_every_status(program):
    c = exemplar.RectificationCase.open(program, {"org_id": "XS", "county": "禄丰市", "reasons": ["书记空缺"]}, "2023-01-10")
    c.assign("王", "李")
    c.add_item("elect", "选优配强书记", datetime.date(2023, 3, 31))
    c.complete_item("elect", "2023-03-01")
    assert c.check("2023-11-01", 65, 10, 0)["passed"] is False
    assert c.status == "failed_restarted"
    c.complete_item("elect", "2023-11-20")
    assert c.check("2023-12-01", 80, 5, 5)["passed"] is True
    assert c.status == "accepted"
    c.close("2023-12-10")
    assert c.status == "closed" and c.to_dict()["restarts"] == 1


def test_procedure_and_title(program):
    cal = {"holidays": ["2023-07-03"]}
    p = exemplar.Procedure.start(program, "A1", "rural_revitalization", "2023-05-01", calendar=cal)
    stages = ["application", "review", "field_inspection", "clearance", "decision", "public_notice"]
    day = datetime.date(2023, 5, 1)
    for s in stages:
        day += datetime.timedelta(days=10)
        p.advance(program, s, day, calendar=cal)
    # Notice from Fri 06-30: Fri (1), Tue 07-04 (2, Monday a holiday) … Fri 07-07 (5).
    with pytest.raises(exemplar.LifecycleError, match="public notice ends 2023-07-07"):
        p.advance(program, "conferral", "2023-07-07", calendar=cal)
    p.advance(program, "conferral", "2023-07-10", calendar=cal)
    t = exemplar.Title.confer(program, p, "五星级党组织", 5)
    t.record_award(2025, 800_000)
    t.re_review("2024-03-01", True)
    t.re_review("2025-03-01", False, "组织生活流于形式")
    assert t.status == "revoked" and t.to_dict()["revocation"]["clawback"] == 800_000


def test_year_over_year_and_oversight(program):
    year = exemplar.load_year(DATA / "sample_year.csv", program)
    ev = year.evaluate(program._inner)
    later = exemplar.load_year(exemplar.sample_year(seed=2023, year=2024), program)
    yoy = exemplar.year_over_year({2023: ev, 2024: later.evaluate(program._inner)}, year)
    total = sum(sum(map(sum, m["counts"])) for m in yoy["matrices"])
    assert total == len({(h["org_id"], h["scheme"]) for h in yoy["histories"]})
    for h in yoy["histories"]:
        s = [e["standing"] for e in h["entries"]]
        assert h["turned_around"] == any(a == "lagging" and "advanced" in s[i + 1 :] for i, a in enumerate(s))
    o = exemplar.read_oversight(DATA / "oversight_2023.json", DATA / "oversight_records_2023.csv")
    import json

    cal = json.loads((DATA / "calendar_2023.json").read_text())
    s = exemplar.oversight_status(program, o, year, "2023-12-31", cal)
    for item in s["items"]:
        state = item["state"]
        if state["state"] == "overdue":
            due = datetime.date.fromisoformat(item["due"])
            assert item["done"] is None and state["days"] == (datetime.date(2023, 12, 31) - due).days > 0
    for rate in s["by_group"] + s["by_county"] + s["by_area"]:
        assert rate["due"] >= rate["done"] >= rate["on_time"] >= 0
    chains = [g for g in o["groups"] if g["kind"] == "chain"]
    for g in chains:
        for m in g["members"]:
            assert 0 <= s["derived"][m]["monthly_dispatches"] <= 12


def test_title_revoked_on_a_veto(program):
    from conftest import case

    c = case("default_relocation")
    p = exemplar.Procedure.start(program, "HTT2", "relocation_follow_up", "2023-01-02")
    day = datetime.date(2023, 1, 2)
    for s in ["application", "review", "field_inspection", "clearance", "decision", "public_notice", "conferral"]:
        day += datetime.timedelta(days=12)
        p.advance(program, s, day)
    t = exemplar.Title.confer(program, p, "先进基层党组织")
    t.record_award(2024, 1_000_000)
    clean = program.evaluate(c["reports"][0] | {"org_id": "HTT2"})
    assert t.revoke_if_vetoed(clean, "2024-03-01") is None
    vetoed = program.evaluate(c["reports"][1])  # HTT2: a major safety accident
    assert t.revoke_if_vetoed(vetoed, "2024-03-01") == 1_000_000
    assert t.status == "revoked" and "安全" in t.to_dict()["revocation"]["ground"]
