"""The shared hand-worked fixtures (tests/fixtures), replayed through Python: single evaluation,
the columnar path, gap analysis, rule-file problems and selection."""

import json
import math

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import exemplar
from conftest import FIXTURES, case, fixture_program, table_frame

FOLDERS = sorted(d.name for d in FIXTURES.iterdir() if (d / "case.json").exists())


def flat(report: dict) -> dict:
    """The nested report as one flat row, as an analyst's table has it."""
    row = {"org_id": report["org_id"], "scheme": report["scheme"], "period": report["period"]}
    row.update(report.get("values", {}))
    for role, values in report.get("assessments", {}).items():
        row.update({f"{role}.{k}": v for k, v in values.items()})
    row["events"] = ";".join(e["kind"] + ("@" + e["date"] if "date" in e else "") for e in report.get("events", []))
    return row


def check_reports(name, c):
    """Every expected total, band, criterion, section, gap and error, single and columnar."""
    program = fixture_program(name, c)
    compared = 0
    for report, want in zip(c["reports"], c["expected"]):
        at = f"{name}/{report['org_id']}"
        if "error" in want:
            with pytest.raises(exemplar.InputError) as err:
                program.evaluate(report)
            for part in want["error"]:
                assert part in str(err.value), at
            with pytest.raises(exemplar.InputError) as err:
                program.evaluate(flat(report))
            for part in want["error"]:
                assert part in str(err.value), f"{at} (flat)"
            compared += 1
            continue
        e = program.evaluate(report)
        # The flat row, read key by key, is the same report, explained word for word alike.
        assert program.evaluate(flat(report)).to_dict() == e.to_dict(), at
        assert e.score == pytest.approx(want["score"], abs=1e-9), f"{at}: {want['why']}"
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
            en = program.with_language("en").evaluate(report).gap()
            for u in w.get("unmet_conditions", []):
                assert any(u["zh"] in x for x in g["unmet_conditions"]), at
                assert any(u["en"] in x for x in en["unmet_conditions"]), at
        for goal, w in want.get("plans", {}).items():
            plan = e.improvement_plan(goal)
            got = [(s["criterion"], s["points"], s["value_needed"]) for s in plan["steps"]]
            assert got == [tuple(x) for x in w["steps"]], (at, goal, plan["summary"])
            assert (plan["achievable"], len(plan["conditions"])) == (w["achievable"], w["conditions"]), (at, goal)
        # The same report as a one-row table through the columnar path.
        frame = program.evaluate_frame(pd.DataFrame([flat(report)]))
        assert frame["score"].iloc[0] == pytest.approx(want["score"], abs=1e-9), at
        assert (None if pd.isna(frame["stars"].iloc[0]) else int(frame["stars"].iloc[0])) == want["stars"], at
        for cid, p in want.get("criteria", {}).items():
            assert frame["pts_" + cid].iloc[0] == pytest.approx(p, abs=1e-9), f"{at}: frame {cid}"
        compared += 1
    return compared


def check_lint(c):
    """Every warning of each rule file, in order: its place and a part of its message, in English
    and in Chinese."""
    compared = 0
    for p in c["lint"]:
        got = exemplar.Program.from_file(FIXTURES / "lint" / p["file"]).lint()
        assert len(got) == len(p["warnings"]), (p["file"], got)
        for w, (place, words, place_zh, words_zh) in zip(got, p["warnings"]):
            assert w.place == place and words in w.message, (p["file"], w.place, w.message)
            assert w.place_zh == place_zh and words_zh in w.message_zh, (p["file"], w.place_zh, w.message_zh)
        compared += 1
    return compared


def check_bad_programs(c):
    """Every problem of every bad rule file, with its line."""
    compared = 0
    for p in c["programs"]:
        with pytest.raises(exemplar.RuleFileError) as err:
            exemplar.Program.from_file(FIXTURES / "bad_programs" / p["file"])
        problems = err.value.problems
        assert len(problems) == len(p["problems"]), p["file"]
        for line, text in p["problems"]:
            assert any(
                text in str(pr) and (line is None or line == pr.line)
                for pr in problems
            ), (p["file"], line, text)
        compared += 1
    return compared


def check_selection(c):
    """Each quota kind and exclusion reason, worked by hand."""
    compared = 0
    base = (FIXTURES / "selection" / "program.toml").read_text(encoding="utf-8")
    for k in c["cases"]:
        reward = f"[reward]\n{k['reward']}\n" if "reward" in k else ""
        program = exemplar.Program.from_toml(f"{base}\n[selection]\n{c['selection_common']}\n{k['selection']}\n{reward}")
        year = exemplar.load_year(FIXTURES / "selection" / "year.csv", program)
        # The texts in Chinese (the program's default) and in English: the same selection.
        for lang in ["zh", "en"]:
            s = exemplar.select(
                program.with_language(lang),
                year,
                weak_lax=c["exclusions"]["weak_lax"],
                procedure_incomplete=c["exclusions"]["procedure_incomplete"],
            )
            assert [[n["org_id"], n["scheme"], n["tier"]] for n in s.named] == k["named"], k["name"]
            reasons = {f"{n['org_id']}:{n['scheme']}": n["reason"] for n in s.not_named}
            for key, words in {**c["always"], **k.get("reasons", {})}.items():
                assert words[lang] in reasons[key], (k["name"], key, lang)
            bases = {f"{n['org_id']}:{n['scheme']}": n["basis"] for n in s.named}
            for key, words in k.get("basis", {}).items():
                assert words[lang] in bases[key], (k["name"], key, lang)
            assert s.shortfalls == [x[lang] for x in k.get("shortfalls", [])], k["name"]
        check_reward(k, s)
        compared += 1
    return compared


def check_reward(k, selection):
    """The awards (`org:scheme` → fen), paid, rest, scaling and sub-pools, or the error."""
    if "reward_error" in k:
        with pytest.raises(exemplar.PolicyError) as err:
            selection.reward()
        for part in k["reward_error"]:
            assert part in str(err.value), (k["name"], str(err.value))
        return
    if "awards" not in k:
        return
    a = selection.reward()
    assert {f"{w['id']}:{w['scheme']}": w["amount_fen"] for w in a.awards} == k["awards"], (k["name"], k["why"])
    assert (a.paid_fen, a.rest_fen) == (k["paid_fen"], k["rest_fen"]), k["name"]
    assert a.scaled_from_fen == k.get("scaled_from_fen"), k["name"]
    assert {p["of"]: p["pool_fen"] for p in a.sub_pools} == k.get("sub_pools", {}), k["name"]


def as_kind(kind, frame):
    if kind == "pandas":
        return frame
    if kind == "polars":
        return pl.from_pandas(frame, nan_to_null=True)
    if kind == "pyarrow":
        return pa.Table.from_pandas(frame, preserve_index=False)
    return {c: frame[c].to_numpy() for c in frame.columns}


def check_tables(name, c):
    """Every table through pandas, polars, pyarrow and a dict of numpy arrays."""
    program = fixture_program(name, c)
    compared = 0
    for t in c["tables"]:
        names = [n for n, _ in t["columns"]]
        want = t["expected"]
        for kind in ["pandas", "polars", "pyarrow", "numpy"]:
            if kind != "pandas" and len(set(names)) < len(names):
                continue  # only pandas (and the Rust and C tables) can hold a name twice
            table = as_kind(kind, table_frame(t["columns"]))
            if "error" in want:
                with pytest.raises(exemplar.InputError) as err:
                    program.evaluate_frame(table, scheme=t.get("scheme"))
                for part in want["error"]:
                    assert part in str(err.value), (t["name"], kind, str(err.value))
                continue
            got = program.evaluate_frame(table, scheme=t.get("scheme"))
            got = got.to_pandas() if kind in ("polars", "pyarrow") else got
            assert list(np.asarray(got["score"], dtype=float)) == want["score"], (t["name"], kind, t["why"])
            assert list(np.asarray(got["vetoed"], dtype=bool)) == want["vetoed"], (t["name"], kind)
            assert list(np.asarray(got["weak_lax"], dtype=bool)) == want["weak_lax"], (t["name"], kind)
            standings = ["", "advanced", "good", "average", "lagging"]
            got_standing = ["" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s) for s in got["standing"]]
            assert got_standing == [standings[s] for s in want["standing"]], (t["name"], kind)
        compared += 1
    return compared


@pytest.mark.parametrize("name", FOLDERS)
def test_fixture(name):
    """Every folder of tests/fixtures, by what its case.json holds, every expectation compared."""
    c = case(name)
    if "reports" in c:
        compared, held = check_reports(name, c), len(c["expected"])
    elif "tables" in c:
        compared, held = check_tables(name, c), len(c["tables"])
    elif "programs" in c:
        compared, held = check_bad_programs(c), len(c["programs"])
    elif "lint" in c:
        compared, held = check_lint(c), len(c["lint"])
    elif "cases" in c:
        compared, held = check_selection(c), len(c["cases"])
    else:
        raise AssertionError(f"{name}: a fixture of no known kind")
    assert compared == held


def test_default_program_round_trips(program):
    again = exemplar.Program.from_toml(program.to_toml())
    assert json.dumps(again.to_dict(), sort_keys=True) == json.dumps(program.to_dict(), sort_keys=True)
    assert exemplar.Program.from_json(program.to_json()).to_dict() == program.to_dict()
