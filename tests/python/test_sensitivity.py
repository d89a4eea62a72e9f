"""Weight sensitivity from Python: the study as DataFrames, the same on one and two threads, the
sheet's own weights reproducing today's selection, progress told, a section's stability interval
checked at its ends, and the chart drawn."""

import threading

import pytest

import exemplar


@pytest.fixture(scope="module")
def year(program, sample):
    return exemplar.load_year(sample, program)


def test_the_sheets_own_weights_name_todays_exemplars_in_every_draw(program, year):
    s = exemplar.sensitivity(program, year, draws=3, within=0)
    today = {(n["org_id"], n["scheme"]) for n in exemplar.select(program, year).named}
    named = s.reports[s.reports["p_named"] == 1.0]
    assert set(zip(named["org_id"], named["scheme"])) == today
    assert set(s.reports["p_named"]) == {0.0, 1.0} and s.expected_overlap == 1.0 and s.most_uncertain.empty


def test_a_study_is_the_same_on_one_and_two_threads_and_tells_its_progress(program, year):
    told = []
    lock = threading.Lock()

    def progress(done):
        with lock:
            told.append(done)

    one = exemplar.sensitivity(program, year, draws=10, seed=3, over="criteria", threads=1)
    two = exemplar.sensitivity(program, year, draws=10, seed=3, over="criteria", threads=2, progress=progress)
    assert one.reports.equals(two.reports)
    assert sorted(told) == list(range(1, 11))
    stars = [f"p_stars_{k}" for k in range(6)]
    assert ((two.reports[stars].sum(axis=1) - 1.0).abs() < 1e-12).all()
    assert (two.reports["rank_p5"] <= two.reports["rank_p95"]).all()


def test_bounds_keep_each_draw_within_them(program, year):
    bounds = {"rural_revitalization": {"build_up": (25, 35), "role": (15, 25)}}
    s = exemplar.sensitivity(program, year, draws=10, bounds=bounds, seed=4)
    assert s.study["spread"] == {"bounds": {"rural_revitalization": {"build_up": [25.0, 35.0], "role": [15.0, 25.0]}}}
    named = s.reports[(s.reports["scheme"] == "rural_revitalization") & (s.reports["p_named"] > 0)]
    for w in named["central_weights"]:
        assert 25 <= w[0] <= 35 and 15 <= w[1] <= 25 and abs(w[2] - 50) < 1e-9


def test_a_sections_stability_interval_is_checked_at_its_ends(program, year):
    s = exemplar.stability(program, year, "rural_revitalization", "build_up")
    assert s["from"] <= s["weight"] <= s["to"]
    assert s["changes_below"] is not None or s["changes_above"] is not None
    f = exemplar.stability(program, year, "rural_revitalization", "build_up", org_id="CX09-V000123")
    assert f["scheme"] == "rural_revitalization" and f["from"] <= f["weight"] <= f["to"]


def test_bad_studies_are_refused(program, year):
    with pytest.raises(exemplar.PolicyError):
        exemplar.sensitivity(program, year, draws=0)
    with pytest.raises(exemplar.PolicyError):
        exemplar.sensitivity(program, year, over="indicators")
    with pytest.raises(exemplar.PolicyError):
        exemplar.sensitivity(program, year, draws=5, within=150)
    with pytest.raises(exemplar.PolicyError) as e:
        exemplar.sensitivity(program, year, draws=5, bounds={"rural_revitalization": {"build_up": (31, 35)}})
    assert "cannot hold the total" in str(e.value)
    with pytest.raises(exemplar.PolicyError):
        exemplar.sensitivity(program, year, draws=5, within=10, bounds={})
    with pytest.raises(exemplar.ExemplarError) as e:
        exemplar.stability(program, year, "rural_revitalization", "nope")
    assert "no section `nope`" in str(e.value) and "没有板块" in e.value.message_zh


def test_the_chart_draws(program, year, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    s = exemplar.sensitivity(program, year, draws=5, within=20)
    fig = s.plot()
    fig.savefig(tmp_path / "sensitivity.png")
    assert (tmp_path / "sensitivity.png").stat().st_size > 10_000
