"""The main job from pandas: evaluate the sample year, designate the weak and lax, name the
exemplars, pay the pool, check oversight; write CSV files and a chart, and print the same summary
as the Rust main job (`cargo run --release --example annual_review`).

    python examples/python/annual_review.py [output folder]
"""

import json
import pathlib
import sys

import exemplar

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
COUNTIES = ["楚雄市", "双柏县", "牟定县", "南华县", "姚安县", "大姚县", "永仁县", "元谋县", "武定县", "禄丰市"]
COUNTIES_EN = ["Chuxiong", "Shuangbai", "Mouding", "Nanhua", "Yao'an", "Dayao", "Yongren", "Yuanmou", "Wuding", "Lufeng"]


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02}"


def cjk_font():
    """A font that renders Chinese, if one is installed."""
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(k in f.name for k in ("CJK", "Hei", "Song", "Kai", "WenQuanYi", "Droid Sans Fallback")):
            return f.name
    return None


def chart(scores, program, out: pathlib.Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font]
        plt.rcParams["axes.unicode_minus"] = False
    counties = COUNTIES if font else COUNTIES_EN
    names = {s["id"]: (s["name_zh"] if font else s["id"].replace("_", " ")) for s in program.schemes}
    fig, (a, b) = plt.subplots(1, 2, figsize=(15, 6))
    bottom = [0] * len(COUNTIES)
    for stars in (5, 4, 3, 2, 1):
        counts = [int(((scores["county"] == c) & (scores["stars"] == stars)).sum()) for c in COUNTIES]
        a.bar(counties, counts, bottom=bottom, label=f"{stars}★" if font else f"{stars} stars")
        bottom = [x + y for x, y in zip(bottom, counts)]
    a.set_title("各县市星级分布" if font else "Stars per county")
    a.set_ylim(0, max(bottom) * 1.15)
    a.legend(ncol=5, loc="upper center")
    a.tick_params(axis="x", rotation=45)
    groups = [scores.loc[scores["scheme"] == s["id"], "score"].to_numpy() for s in program.schemes]
    b.boxplot(groups, orientation="horizontal")
    b.set_yticks(range(1, len(groups) + 1), [names[s["id"]] for s in program.schemes])
    b.set_title("各示范区得分分布" if font else "Score distribution per area")
    b.set_xlabel("得分" if font else "score")
    fig.tight_layout()
    fig.savefig(out, dpi=120)


def main() -> None:
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "python" / "out"
    out.mkdir(parents=True, exist_ok=True)
    program = exemplar.Program.default()
    frame = exemplar.sample_year()
    year = exemplar.load_year(frame, program)

    scores = program.evaluate_frame(frame)
    scores["county"] = frame["county"].to_numpy()
    scores["name"] = frame["name"].to_numpy()
    evaluations = program.evaluate_year(year)
    designations = exemplar.designate(program, year, evaluations)
    selection = exemplar.select(program, year, evaluations)
    pay = selection.reward()

    with open(DATA / "calendar_2023.json", encoding="utf-8") as f:
        calendar = json.load(f)
    oversight = exemplar.read_oversight(DATA / "oversight_2023.json", DATA / "oversight_records_2023.csv")
    status = exemplar.oversight_status(program, oversight, year, "2023-12-31", calendar)

    scores.to_csv(out / "scores.csv", index=False)
    selection.to_frame().merge(pay.to_frame()[["id", "scheme", "amount_fen", "basis"]], left_on=["org_id", "scheme"], right_on=["id", "scheme"]).drop(columns="id").to_csv(out / "named.csv", index=False)
    import pandas as pd

    pd.DataFrame([{"org_id": d["org_id"], "county": d["county"], "reasons": "; ".join(d["reasons"])} for d in designations]).to_csv(out / "rectification.csv", index=False)
    pd.DataFrame(status["items"]).to_csv(out / "oversight.csv", index=False)
    chart(scores, program, out / "annual_review.png")

    print(program.name_zh)
    print(f"wrote scores.csv, named.csv, rectification.csv, oversight.csv and annual_review.png to {out}")
    for s in program.schemes:
        of = scores[scores["scheme"] == s["id"]]
        counts = " ".join(f"{k}★ {int((of['stars'] == k).sum())}" for k in (5, 4, 3, 2, 1))
        print(f"{s['name_zh']}: {counts}; mean {of['score'].mean():.2f}")

    # The same block the Rust main job prints.
    ranked = sorted(evaluations, key=lambda e: (-round(e.score * 100), e.org_id, e.scheme))
    overdue = [i for i in status["items"] if i["state"]["state"] == "overdue"]
    print("\n== Summary ==")
    stars = {k: sum(1 for e in evaluations if e.stars == k) for k in (5, 4, 3, 2, 1)}
    print(
        f"evaluations {len(evaluations)}; 5★ {stars[5]} 4★ {stars[4]} 3★ {stars[3]} 2★ {stars[2]} 1★ {stars[1]}; "
        f"vetoed {sum(1 for e in evaluations if e.vetoed)}"
    )
    print("top 20: " + " ".join(f"{e.score:.2f}" for e in ranked[:20]))
    print(f"named {len(selection.named)}; paid {yuan(pay.paid_fen)} yuan; rest {yuan(pay.rest_fen)} yuan; waiting {len(selection.waiting)}")
    print(f"rectification {len(designations)} organizations")
    print(
        f"oversight as of 2023-12-31: {sum(1 for i in overdue if i['kind'] == 'cadence')} group items, "
        f"{sum(1 for i in overdue if i['kind'] == 'visit')} visits, "
        f"{sum(1 for i in overdue if i['kind'] == 'task')} tasks overdue"
    )
    warnings = program.lint()
    print(f"program {program.content_hash}; rule-file warnings {len(warnings)}")
    for w in warnings:
        print(f"warning: {w.place}: {w.message}")


if __name__ == "__main__":
    main()
