"""Weight sensitivity (SMAA-2) for analysts: the core's study as pandas DataFrames, and a chart."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from exemplar import _exemplar
from exemplar._api import Program, _core, _year
from exemplar._charts import cjk_font
from exemplar._errors import error
from exemplar._exemplar import PolicyError, Year
from exemplar.types import Stability


class Sensitivity:
    """What a weight-sensitivity study found (`exemplar.sensitivity`).

    - `reports`: a DataFrame, one row per report: org_id, scheme, county, score and named (under
      the sheet's own weights), p_named, p_stars_0 … p_stars_5 (the share of draws with each
      number of stars; 0: no star band), rank_p5, rank_p50, rank_p95 (its rank by score within
      its scheme, 1 = best) and central_weights (the mean weights drawn where it is named, in
      the order of `units[scheme]`; None if never named);
    - `most_uncertain`: the rows of `reports` named in some draws and not in others, the closest
      to even odds first (at most 20);
    - `expected_overlap`: the expected share of today's named list a draw names too;
    - `units`: each scheme's sections (or criteria) the weights are drawn over;
    - `study`: draws, seed, over, spread, threads.
    """

    def __init__(self, raw: Dict[str, Any], language: str) -> None:
        import pandas as pd

        self.language = language
        self.study: Dict[str, Any] = raw["study"]
        self.units: Dict[str, List[str]] = {scheme: ids for scheme, ids in raw["units"]}
        self.expected_overlap: float = raw["expected_overlap"]
        self.reports = pd.DataFrame(raw["reports"])
        self.most_uncertain = self.reports.iloc[raw["most_uncertain"]]

    def plot(self, ax: Any = None) -> Any:
        """Two panels, in the program's language (English where no Chinese font is installed):
        for each county, the exemplars named today beside the number a draw names on average
        (the sum of P(named)); and up to 30 reports on the edge (named in some draws, not in
        others), most often named first, each with its rank from the 5 % to the 95 % quantile
        and its median. `ax`: two matplotlib axes to draw on. Returns
        the figure."""
        import matplotlib.pyplot as plt

        font = cjk_font()
        zh = self.language == "zh" and font is not None

        def t(zh_text: str, en_text: str) -> str:
            return zh_text if zh else en_text

        if font is not None:
            plt.rcParams["font.sans-serif"] = [font, *plt.rcParams["font.sans-serif"]]
        if ax is not None and not (isinstance(ax, (list, tuple)) and len(ax) == 2 and all(hasattr(a, "figure") for a in ax)):
            raise error(PolicyError, "ax应为两个matplotlib坐标轴", "ax must be two matplotlib axes")
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5)) if ax is None else (ax[0].figure, ax)
        by_county = self.reports.groupby("county").agg(today=("named", "sum"), expected=("p_named", "sum"))
        at = range(len(by_county))
        left.bar([x - 0.2 for x in at], by_county["today"], width=0.4, label=t("今年推荐", "named today"))
        left.bar([x + 0.2 for x in at], by_county["expected"], width=0.4, label=t("各次抽样平均推荐", "expected over the draws"))
        left.set_xticks(list(at), by_county.index, rotation=45, ha="right")
        left.set_ylabel(t("先进典型数", "exemplars"))
        left.legend()
        left.set_title(t("各县推荐数", "exemplars by county"))
        right.set_title(t("处于边缘的组织：推荐概率与排名区间", "on the edge: P(named) and rank range"))
        r = self.reports
        edge = r[(r["p_named"] > 0) & (r["p_named"] < 1)]
        top = (edge if len(edge) else r).sort_values(["p_named", "score"], ascending=False).head(30).iloc[::-1]
        y = range(len(top))
        right.hlines(list(y), top["rank_p5"], top["rank_p95"], color="grey")
        right.scatter(top["rank_p50"], list(y), c=top["p_named"], cmap="viridis", vmin=0, vmax=1, zorder=3)
        right.set_yticks(list(y), top["org_id"] + " (" + top["p_named"].map("{:.0%}".format) + ")")
        right.set_xlabel(t("方案内排名（5%–95%，中位数）", "rank within its scheme (5 %–95 %, median)"))
        fig.tight_layout()
        return fig

    def __repr__(self) -> str:
        return f"<exemplar.Sensitivity {self.study['draws']} draws over {len(self.reports)} reports, expected overlap {self.expected_overlap:.1%}>"


def sensitivity(
    program: Program,
    year: Year,
    draws: int = 1000,
    *,
    seed: int = 0,
    over: str = "sections",
    within: Optional[float] = None,
    bounds: Optional[Mapping[str, Mapping[str, Tuple[float, float]]]] = None,
    threads: int = 0,
    progress: Optional[Callable[[int], Any]] = None,
) -> Sensitivity:
    """How robust the year's exemplars are to the weights (SMAA-2): `draws` weightings drawn
    with `seed` over each scheme's sections (`over="sections"`) or criteria (`"criteria"`),
    anywhere on the simplex or, with `within`, within that many percent of the sheet's own, or,
    with `bounds` (scheme → unit → (lowest, highest) points; a unit not listed keeps its
    weight), within those; each keeping the sheet's total; every report re-scored under each and the year's real
    decisions made (designation, selection under quotas, exclusions and tie-breaks). The same
    seed gives the same results on any number of `threads`. `progress(done)` is called after
    each draw (from the worker threads).

    >>> import exemplar
    >>> p = exemplar.Program.default()
    >>> year = exemplar.load_year(exemplar.sample_year(), p)
    >>> s = exemplar.sensitivity(p, year, draws=20, within=10, seed=1)
    >>> int(s.reports["named"].sum()), round(float(s.reports["p_named"].sum()))
    (200, 200)
    """
    if over not in ("sections", "criteria"):
        raise error(PolicyError, f"over应为sections或criteria，而非{over!r}", f"over must be sections or criteria, not {over!r}")
    if within is not None and bounds is not None:
        raise error(PolicyError, "within与bounds只能给一个", "give within or bounds, not both")
    spread: Any = "simplex" if within is None and bounds is None else {"within": within} if bounds is None else {"bounds": bounds}
    study = {"draws": draws, "seed": seed, "over": over, "spread": spread, "threads": threads}
    return Sensitivity(_exemplar._sensitivity(_core(program), _year(year), study, progress), _core(program).language)


def stability(program: Program, year: Year, scheme: str, section: str, org_id: Optional[str] = None) -> Stability:
    """How far `section`'s weight in `scheme` can move, the other sections rescaled to keep the
    total, before the named list changes — or, with `org_id`, before that organization's naming
    or stars do: `from`/`to` the ends found with today's outcome (checked), `changes_below` /
    `changes_above` the weights within a millionth of a point beyond them where it changes
    (None where it holds to 0 or to the total)."""
    return _exemplar._stability(_core(program), _year(year), scheme, section, org_id)
