"""The main job from pandas: evaluate the sample year, designate the weak and lax, name the
exemplars, pay the pool, check oversight; write CSV files and a chart, and print the same summary
as the Rust main job (`cargo run --release --example annual_review`), in the program's language
(Chinese for the built-in program) or the one `--language` names.

    python examples/python/annual_review.py [output folder] [--language zh|en]
"""

import json
import pathlib
import sys

import exemplar
from exemplar._charts import cjk_font

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
COUNTIES = ["楚雄市", "双柏县", "牟定县", "南华县", "姚安县", "大姚县", "永仁县", "元谋县", "武定县", "禄丰市"]
COUNTIES_EN = ["Chuxiong", "Shuangbai", "Mouding", "Nanhua", "Yao'an", "Dayao", "Yongren", "Yuanmou", "Wuding", "Lufeng"]


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02}"


def chart(scores, program, out: pathlib.Path, zh: bool) -> bool:
    """Stars per county (each organization counted once, at its best rating) and the score
    distribution of each area with its group size; Chinese when asked and a CJK font is
    installed, else English. Returns whether the text is Chinese."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font() if zh else None
    zh = font is not None
    if zh:
        plt.rcParams["font.sans-serif"] = [font]
        plt.rcParams["axes.unicode_minus"] = False
    t = (lambda z, e: z) if zh else (lambda z, e: e)
    counties = COUNTIES if zh else COUNTIES_EN
    best = scores.groupby("org_id").agg(county=("county", "first"), stars=("stars", "max"))
    fig, (a, b) = plt.subplots(1, 2, figsize=(16, 6.5))
    bottom = [0] * len(COUNTIES)
    colours = plt.get_cmap("YlOrRd")
    for stars in (5, 4, 3, 2, 1):
        counts = [int(((best["county"] == c) & (best["stars"] == stars)).sum()) for c in COUNTIES]
        label = f"{stars}★" if zh else f"{stars} star" + ("s" if stars > 1 else "")
        a.bar(counties, counts, bottom=bottom, label=label, color=colours(0.15 + 0.17 * stars), edgecolor="white")
        bottom = [x + y for x, y in zip(bottom, counts)]
    a.set_title(t("各县市党组织星级分布（每个党组织按最高星级计）", "Organizations per county by star rating (each at its best)"))
    a.set_xlabel(t("县市", "county"))
    a.set_ylabel(t("党组织数", "organizations"))
    a.set_ylim(0, max(bottom) * 1.18)
    a.legend(ncol=5, loc="upper center", title=t("星级", "rating"))
    a.tick_params(axis="x", rotation=45)
    schemes = program.schemes
    groups = [scores.loc[scores["scheme"] == s["id"], "score"].to_numpy() for s in schemes]
    names = [s["name_zh"] if zh else s["name_en"] for s in schemes]
    b.boxplot(groups, orientation="horizontal")
    b.set_yticks(range(1, len(groups) + 1), names)
    for y, g in enumerate(groups, start=1):
        b.text(101, y, t(f"{len(g)}个", f"n = {len(g)}"), va="center", fontsize=9)
    b.set_xlim(0, 112)
    b.set_title(t("各示范区得分分布（右侧为评价数）", "Scores per area (number of evaluations at right)"))
    b.set_xlabel(t("得分", "score"))
    b.set_ylabel(t("示范区", "area"))
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    return zh


def main() -> None:
    args = sys.argv[1:]
    language = None
    if "--language" in args:
        i = args.index("--language")
        language = args[i + 1] if i + 1 < len(args) else ""
        del args[i : i + 2]
    out = pathlib.Path(args[0]) if args else ROOT / "examples" / "python" / "out"
    out.mkdir(parents=True, exist_ok=True)
    program = exemplar.Program.default()
    if language is not None:
        program = program.with_language(language)  # type: ignore[arg-type]
    zh = program.language == "zh"
    t = (lambda z, e: z) if zh else (lambda z, e: e)
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

    sep = t("；", "; ")
    pd.DataFrame([{"org_id": d["org_id"], "county": d["county"], "reasons": sep.join(d["reasons"])} for d in designations]).to_csv(out / "rectification.csv", index=False)
    pd.DataFrame(status["items"]).to_csv(out / "oversight.csv", index=False)
    chinese_chart = chart(scores, program, out / "annual_review.png", zh)
    exemplar.annual_workbook(program, year, out / "annual_review.xlsx")
    issuer = t("中共楚雄州委组织部", "Organization Department, CPC Chuxiong Prefecture Committee")
    contact = t("州委组织部组织科（电话：0878-3120000）", "the Organization Section of the Organization Department (tel. 0878-3120000)")
    notice = selection.public_notice(year, "2023-12-25", issuer, contact, calendar)
    (out / "notice.html").write_text(notice, encoding="utf-8")

    info = program.to_dict()["program"]
    print(program.name_zh if zh else info.get("name_en", program.id))
    files = "scores.csv、named.csv、rectification.csv、oversight.csv、annual_review.png、annual_review.xlsx、notice.html"
    print(t(f"已写入{out}：{files}", f"wrote {files.replace('、', ', ')} to {out}"))
    if zh and not chinese_chart:
        print("未安装中文字体：图表使用英文")
    for s in program.schemes:
        of = scores[scores["scheme"] == s["id"]]
        counts = " ".join(f"{k}★ {int((of['stars'] == k).sum())}" for k in (5, 4, 3, 2, 1))
        name = s["name_zh"] if zh else s["name_en"]
        print(t(f"{name}：{counts}；平均分{of['score'].mean():.2f}", f"{name}: {counts}; mean {of['score'].mean():.2f}"))

    # The same block the Rust main job prints.
    ranked = sorted(evaluations, key=lambda e: (-round(e.score * 100), e.org_id, e.scheme))
    overdue = [i for i in status["items"] if i["state"]["state"] == "overdue"]
    n, vetoed = len(evaluations), sum(1 for e in evaluations if e.vetoed)
    s5, s4, s3, s2, s1 = (sum(1 for e in evaluations if e.stars == k) for k in (5, 4, 3, 2, 1))
    top = " ".join(f"{e.score:.2f}" for e in ranked[:20])
    named, waiting, paid, rest = len(selection.named), len(selection.waiting), yuan(pay.paid_fen), yuan(pay.rest_fen)
    groups, visits, tasks = (sum(1 for i in overdue if i["kind"] == k) for k in ("cadence", "visit", "task"))
    warnings = program.lint()
    if zh:
        print("\n== 汇总 ==")
        print(f"评价{n}份；5★ {s5} 4★ {s4} 3★ {s3} 2★ {s2} 1★ {s1}；一票否决{vetoed}份")
        print(f"前20名得分：{top}")
        print(f"推荐{named}个；发放{paid}元；结余{rest}元；候补{waiting}个")
        print(f"软弱涣散整顿{len(designations)}个党组织")
        print(f"截至2023-12-31的督导：逾期工作组事项{groups}项、联系点调研{visits}次、任务{tasks}项")
        print(f"规则文件{program.content_hash}；警告{len(warnings)}条")
    else:
        print("\n== Summary ==")
        print(f"evaluations {n}; 5★ {s5} 4★ {s4} 3★ {s3} 2★ {s2} 1★ {s1}; vetoed {vetoed}")
        print(f"top 20: {top}")
        print(f"named {named}; paid {paid} yuan; rest {rest} yuan; waiting {waiting}")
        print(f"rectification {len(designations)} organizations")
        print(f"oversight as of 2023-12-31: {groups} group items, {visits} visits, {tasks} tasks overdue")
        print(f"program {program.content_hash}; rule-file warnings {len(warnings)}")
    for w in warnings:
        print(t(f"警告：{w.place}：{w.message}", f"warning: {w.place}: {w.message}"))


if __name__ == "__main__":
    main()
