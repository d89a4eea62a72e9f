"""The shared hand-worked fixtures (tests/fixtures), replayed through Python: single evaluation,
the columnar path, gap analysis, rule-file problems and selection."""

import json

import pandas as pd
import pytest

import exemplar
from conftest import FIXTURES, case, fixture_program

CASES = ["rule_kinds", "star_sheet_110", "blended_classification", "default_relocation"]


def flat(report: dict) -> dict:
    """The nested report as one flat row, as an analyst's table has it."""
    row = {"org_id": report["org_id"], "scheme": report["scheme"], "period": report["period"]}
    row.update(report.get("values", {}))
    for role, values in report.get("assessments", {}).items():
        row.update({f"{role}.{k}": v for k, v in values.items()})
    row["events"] = ";".join(e["kind"] + ("@" + e["date"] if "date" in e else "") for e in report.get("events", []))
    return row


@pytest.mark.parametrize("name", CASES)
def test_fixture_case(name):
    c = case(name)
    program = fixture_program(name, c)
    for report, want in zip(c["reports"], c["expected"]):
        at = f"{name}/{report['org_id']}"
        if "error" in want:
            with pytest.raises(exemplar.InputError) as err:
                program.evaluate(report)
            for part in want["error"]:
                assert part in str(err.value), at
            continue
        e = program.evaluate(report)
        assert e.score == pytest.approx(want["total"], abs=1e-9), f"{at}: {want['why']}"
        assert e.stars == want["stars"], at
        assert e.standing == want["standing"], at
        assert e.vetoed == want["vetoed"], at
        if "vetoes" in want:
            assert [v["id"] for v in e.vetoes] == want["vetoes"], at
        points = dict(e.points())
        for cid, p in want.get("criteria", {}).items():
            assert points[cid] == pytest.approx(p, abs=1e-9), f"{at}: {cid}"
        sections = {s["id"]: s["points"] for s in e.to_dict()["sheets"][0]["sections"]}
        for sid, p in want.get("sections", {}).items():
            assert sections[sid] == pytest.approx(p, abs=1e-9), f"{at}: {sid}"
        if "gap" in want:
            g, w = e.gap(), want["gap"]
            assert g["next"] == w["next"] and g["points_needed"] == pytest.approx(w["points_needed"])
            for item, (cid, attainable, value) in zip(g["items"], w.get("items", [])):
                assert (item["criterion"], item["value_needed"]) == (cid, value)
                assert item["attainable"] == pytest.approx(attainable)
            for u in w.get("unmet_conditions", []):
                assert any(u in x for x in g["unmet_conditions"])
        # The same report as a one-row table through the columnar path.
        frame = program.evaluate_frame(pd.DataFrame([flat(report)]))
        assert frame["score"].iloc[0] == pytest.approx(want["total"], abs=1e-9), at
        assert (None if pd.isna(frame["stars"].iloc[0]) else int(frame["stars"].iloc[0])) == want["stars"], at
        for cid, p in want.get("criteria", {}).items():
            assert frame["pts_" + cid].iloc[0] == pytest.approx(p, abs=1e-9), f"{at}: frame {cid}"


def test_bad_programs_report_every_problem_with_its_line():
    c = case("bad_programs")
    for p in c["programs"]:
        with pytest.raises(exemplar.RuleFileError) as err:
            exemplar.Program.from_file(FIXTURES / "bad_programs" / p["file"])
        problems = err.value.problems
        assert len(problems) == len(p["problems"]), p["file"]
        for line, text in p["problems"]:
            assert any(
                text in (f"{place}: {msg}" if place else msg) and (line is None or line == ln)
                for place, msg, ln, _col in problems
            ), (p["file"], line, text)


def test_selection_fixture():
    c = case("selection")
    base = (FIXTURES / "selection" / "program.toml").read_text(encoding="utf-8")
    for k in c["cases"]:
        program = exemplar.Program.from_toml(f"{base}\n[selection]\n{c['selection_common']}\n{k['selection']}\n")
        year = exemplar.load_year(FIXTURES / "selection" / "year.csv", program)
        s = exemplar.select(
            program,
            year,
            weak_lax=c["exclusions"]["weak_lax"],
            procedure_incomplete=c["exclusions"]["procedure_incomplete"],
        )
        assert [[n["org_id"], n["scheme"], n["tier"]] for n in s.named] == k["named"], k["name"]
        reasons = {f"{n['org_id']}:{n['scheme']}": n["reason"] for n in s.not_named}
        for key, words in {**c["always"], **k.get("reasons", {})}.items():
            assert words in reasons[key], (k["name"], key)
        assert s.shortfalls == k.get("shortfalls", []), k["name"]


def test_default_program_round_trips(program):
    again = exemplar.Program.from_toml(program.to_toml())
    assert json.dumps(again.to_dict(), sort_keys=True) == json.dumps(program.to_dict(), sort_keys=True)
    assert exemplar.Program.from_json(program.to_json()).to_dict() == program.to_dict()
