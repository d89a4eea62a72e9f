"""The Python-facing API over the compiled core: `Program`, and the year-level operations —
selection, rewards, designation, year over year, oversight — with results as plain data that
pandas takes directly."""

from __future__ import annotations

import io
import os
from typing import Any, Callable, Dict, List, Literal, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from exemplar import _exemplar
from exemplar._exemplar import (
    Allocation,
    Evaluation,
    ExemplarError,
    FileError,
    InputError,
    PolicyError,
    Problem,
    Selection,
    Year,
)
from exemplar._errors import error, wrong
from exemplar._frame import _unreadable, build, check_columns, evaluate, kind_of, to_arrow
from exemplar.types import Change, Designation, EventKind, Indicator, OversightStatus, Scheme, Settings, YearOverYear

PathLike = Union[str, "os.PathLike[str]"]


def _core(program: Any) -> _exemplar.Program:
    """The compiled program of an `exemplar.Program`."""
    if isinstance(program, Program):
        return program._inner
    if isinstance(program, _exemplar.Program):
        return program
    raise wrong("exemplar.Program", "an exemplar.Program", program)


def _year(year: Any) -> Year:
    if not isinstance(year, Year):
        raise wrong("exemplar.Year（由load_year读入）", "an exemplar.Year (from load_year)", year)
    return year


def _path(path: Any) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise wrong("路径（str或pathlib.Path）", "a path (str or pathlib.Path)", path)
    return os.fspath(path)


def _read(path: Any) -> str:
    try:
        with open(_path(path), encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise error(FileError, f"{path}：无法读取（{e}）", f"{path}: {e}") from e


def _mapping(value: Any, zh: str, en: str) -> Dict[Any, Any]:
    if not isinstance(value, Mapping):
        raise wrong(zh, en, value)
    return dict(value)


def _list(value: Any, zh: str, en: str) -> List[Any]:
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise wrong(zh, en, value)
    return list(value)


# Programs unpickled in this process, by content hash and language: each compiled once.
_COMPILED: Dict[Tuple[str, str], _exemplar.Program] = {}


def _unpickle(text: str, content_hash: str, language: str) -> "Program":
    """A pickled program: its rule file (JSON) compiled once per process, and checked against
    the content hash it was pickled with."""
    inner = _COMPILED.get((content_hash, language))
    if inner is None:
        inner = _exemplar.Program.from_json(text)
        if inner.content_hash != content_hash:
            raise error(
                ExemplarError,
                f"反序列化的规则与其内容哈希{content_hash}不符",
                f"an unpickled program does not match its content hash {content_hash}",
            )
        _COMPILED[(content_hash, language)] = inner
    return Program(inner)


EVALUATIONS = ("由Evaluation组成的列表", "a list of Evaluations")
REASONS = ("从org_id到原因的dict", "a dict of org_id to reason")


class Program:
    """A validated program: the built-in 一带五区 default, or a prefecture's own rule file.

    >>> p = Program.default()
    >>> [s["id"] for s in p.schemes][:2]
    ['demonstration_belt', 'rural_revitalization']
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: _exemplar.Program) -> None:
        self._inner = inner

    def __reduce__(self) -> Tuple[Callable[..., "Program"], Tuple[str, str, str]]:
        """Pickles as the rule file and its content hash (for Dask, Spark, multiprocessing):
        a worker compiles each program once.

        >>> import pickle
        >>> p = Program.default().with_language("en")
        >>> q = pickle.loads(pickle.dumps(p))
        >>> (q.content_hash, q.language) == (p.content_hash, "en")
        True
        """
        return (_unpickle, (self.to_json(), self.content_hash, self.language))

    @classmethod
    def default(cls) -> "Program":
        """The built-in 一带五区 program (parsed once per process)."""
        return cls(_exemplar.Program.default())

    @staticmethod
    def default_toml() -> str:
        """The built-in program's rule file with its comments: the file to copy and edit.

        >>> "[program]" in Program.default_toml()
        True
        """
        return _exemplar.Program.default_toml()

    @classmethod
    def from_file(cls, path: PathLike) -> "Program":
        """Loads a `.toml` or `.json` rule file; `RuleFileError.problems` lists every problem."""
        return cls(_exemplar.Program.from_file(_path(path)))

    @classmethod
    def from_toml(cls, text: str) -> "Program":
        """Loads a program from TOML text; `RuleFileError.problems` lists every problem with its line."""
        return cls(_exemplar.Program.from_toml(text))

    @classmethod
    def from_json(cls, text: str) -> "Program":
        """Loads a program from JSON text; `RuleFileError.problems` lists every problem with its line."""
        return cls(_exemplar.Program.from_json(text))

    def to_toml(self) -> str:
        """The program as a TOML rule file; it loads back identical."""
        return self._inner.to_toml()

    def to_json(self) -> str:
        """The program as JSON; it loads back identical."""
        return self._inner.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """The whole rule file as plain dicts and lists."""
        return self._inner.to_dict()

    def lint(self) -> List[Problem]:
        """Warnings that are not errors, each a `Problem` with its `place` and `message`: a section
        whose criteria add up to more than its cap, a step table that is not monotone, bands that
        leave scores unrated or skip a star level, an indicator no scheme reads, assessor weights
        that add up to 1 only within rounding.

        >>> Program.default().lint()
        []
        """
        return self._inner.lint()

    @property
    def content_hash(self) -> str:
        """SHA-256 of the program's canonical form (64 hex digits), the same whatever the file's
        format, layout or comments; evaluations, selections and allocations carry it as
        `program_hash`."""
        return self._inner.content_hash

    def diff(self, newer: "Program") -> List[Change]:
        """What changed from this program to `newer`, item by item: `kind` (added, removed,
        changed), `place` in words (`place_zh` in Chinese), `field`, and `before` and `after` as
        JSON text.

        >>> p = Program.default()
        >>> [c] = p.diff(Program.from_toml(p.to_toml().replace("selection_target = 200", "selection_target = 210")))
        >>> c["place"], c["place_zh"], c["field"], c["before"], c["after"]
        ('settings', '基本设置（settings）', 'selection_target', '200', '210')
        """
        return self._inner.diff(_core(newer))

    @property
    def id(self) -> str:
        """The program's id."""
        return self._inner.id

    @property
    def name_zh(self) -> str:
        """The program's Chinese name."""
        return self._inner.name_zh

    @property
    def language(self) -> Literal["zh", "en"]:
        """The language results are worded in: "zh" (the default) or "en" (`[program] language`)."""
        return self._inner.language  # type: ignore[return-value]

    def with_language(self, language: Literal["zh", "en"]) -> "Program":
        """The same program with every reason, basis and message worded in `language`; the rules,
        and so the content hash, are unchanged.

        >>> p = Program.default().with_language("en")
        >>> p.language, p.content_hash == Program.default().content_hash
        ('en', True)
        """
        return type(self)(self._inner.with_language(language))

    @property
    def schemes(self) -> List[Scheme]:
        """Every scheme: id, name_zh, name_en, area, criteria (id, name_zh, name_en, section, points), columns."""
        return self._inner.schemes

    @property
    def areas(self) -> List[List[str]]:
        """The six areas as [id, name_zh]."""
        return self._inner.areas

    @property
    def criteria(self) -> List[Dict[str, Any]]:
        """Every criterion of every scheme, with its scheme id."""
        return [dict(c, scheme=s["id"]) for s in self.schemes for c in s["criteria"]]

    @property
    def indicators(self) -> List[Indicator]:
        """Every indicator: id, name_zh, unit, kind, direction, min, max."""
        return self._inner.indicators

    @property
    def events(self) -> List[EventKind]:
        """Every kind of event: id, name_zh."""
        return self._inner.events

    @property
    def decision_columns(self) -> List[str]:
        """The input columns the decisions read besides the results and the year's fixed
        columns: those the vetoes and weak-and-lax situations test, and the event counts (see
        `decide`)."""
        return self._inner.decision_columns

    @property
    def settings(self) -> Settings:
        """Selection target, reward pool (fen) and title term (years)."""
        return self._inner.settings

    def evaluate(self, report: Mapping[str, Any]) -> Evaluation:
        """Evaluates one report: a flat mapping like one row of `sample_year()` (org_id, scheme
        or area, period, events, one key per indicator; NaN or None is absent), or the nested
        form with `values`.

        >>> p = Program.default()
        >>> row = sample_year().iloc[0].to_dict()
        >>> e = p.evaluate(row)
        >>> e.org_id == row["org_id"] and 0 <= e.score <= 100
        True
        """
        if not isinstance(report, dict) and isinstance(report, Mapping):
            report = dict(report)
        return self._inner.evaluate(report)

    def evaluate_frame(self, table: Any, scheme: Optional[str] = None, *, points: bool = True, threads: int = 1) -> Any:
        """Evaluates a whole table, columnar, with the GIL released while the core runs.

        `table` is a pandas or polars DataFrame, a pyarrow Table, anything with
        `__arrow_c_stream__`, a polars LazyFrame (collected), or a dict of numpy arrays; the result
        is the same kind, one row per input row: org_id, scheme, score, stars, standing, vetoed,
        weak_lax and `pts_<criterion>` for every criterion. Rows follow their `scheme` (or
        `area`) column unless `scheme` is given. A null or NaN cell is a missing value; an absent
        indicator column is missing in every row; an absent event column means no events. An
        `InputError` names the organization, scheme, column (`.field`) and row (`.row`: the pandas
        index label, else the row number). `points=False` leaves out the `pts_` columns;
        `threads` splits the rows across threads (0: one per core), with the same results.
        """
        kind, table = kind_of(table)
        if kind == "arrow":
            import pyarrow as pa

            table, kind = pa.table(table), "pyarrow"
        return build(kind, table, evaluate(self._inner, kind, table, scheme, points, threads))

    def evaluate_year(self, year: Year) -> List[Evaluation]:
        """Every report of a year, explained, sorted by scheme then organization id."""
        return _year(year).evaluate(self._inner)

    def designate(self, year: Year, evaluations: Optional[Sequence[Evaluation]] = None) -> List[Designation]:
        """The weak and lax of a year, each with its reasons; see `exemplar.designate`."""
        return designate(self, year, evaluations)

    def __repr__(self) -> str:
        return repr(self._inner)


def load_year(source: Any, program: Program) -> Year:
    """A year from the flat CSV or an Excel workbook (a path ending in `.xlsx`, `.xls` or `.ods`:
    one flat sheet, or one sheet per scheme; headers by id or Chinese name), or from a table with
    the CSV's columns: a pandas or polars DataFrame (or LazyFrame), a pyarrow Table, anything with
    `__arrow_c_stream__`. A table is read column by column into the core's columns, so a sheet
    pandas reads (`pd.read_excel(path, engine="calamine")`) loads too."""
    core = _core(program)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if path.lower().endswith((".xlsx", ".xls", ".ods")):
            return Year.from_xlsx(path, core)
        return Year.from_csv(path, core)
    kind, source = kind_of(source)
    check_columns(kind, source)
    try:
        table = to_arrow(kind, source)
    except ExemplarError:
        raise
    except Exception as e:  # the table could not be read as Arrow columns
        raise error(InputError, *_unreadable(kind, source, e)) from e
    return Year._from_arrow(table, core)


def _year_csv_text(table: Any) -> str:
    """A year's pyarrow table as the flat CSV, for the reports of a year loaded from a table
    (oversight and writing the year back read them)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    fixed = list(_exemplar._FIXED_COLUMNS)
    for c in fixed:
        if c not in table.column_names:
            table = table.append_column(c, pa.array([""] * table.num_rows, pa.string()))
    period = table.column("period")
    if pa.types.is_floating(period.type) and pc.all(pc.equal(pc.round(period), period)).as_py() is not False:
        # A year read as a float column (2023.0) is the year 2023.
        table = table.set_column(table.column_names.index("period"), "period", pc.cast(period, pa.int64()))
    for i, field in enumerate(table.schema):
        if pa.types.is_boolean(field.type):  # yes/no columns as 0 and 1
            table = table.set_column(i, field.name, pc.cast(table.column(i), pa.int8()))
    rest = [c for c in table.column_names if c not in fixed]
    buf = io.BytesIO()
    pacsv.write_csv(table.select(fixed + rest), buf)
    return buf.getvalue().decode("utf-8")


def designate(program: Program, year: Year, evaluations: Optional[Sequence[Evaluation]] = None) -> List[Designation]:
    """Weak-and-lax designations (软弱涣散): every situation shown, and the bottom of each
    county's ranking, each with its reasons."""
    evals = _list(evaluations, *EVALUATIONS) if evaluations is not None else None
    return _year(year).designate(_core(program), evals)


def select(
    program: Program,
    year: Year,
    evaluations: Optional[Sequence[Evaluation]] = None,
    weak_lax: Optional[Mapping[str, str]] = None,
    procedure_incomplete: Optional[Mapping[str, str]] = None,
) -> Selection:
    """Names the year's exemplars under the program's selection policy, from the whole year
    (scored in the core's columns) unless `evaluations` are given. Weak-and-lax organizations
    are designated from the same evaluations unless `weak_lax` (org_id → reason) is given."""
    evals = _list(evaluations, *EVALUATIONS) if evaluations is not None else None
    weak_lax = None if weak_lax is None else _mapping(weak_lax, *REASONS)
    incomplete = _mapping(procedure_incomplete or {}, *REASONS)
    return _year(year).select(_core(program), evals, weak_lax, incomplete)


class Decisions(NamedTuple):
    """A year's decisions: the weak and lax designated, the exemplars selected, the reward paid."""

    designations: List[Designation]
    selection: Selection
    allocation: Allocation


def decide(program: Program, table: Any, procedure_incomplete: Optional[Mapping[str, str]] = None) -> Decisions:
    """The year's decisions on one node from results scored elsewhere: a cluster scores the
    rows, the compact results come back to one node, and the designations, the selection and
    the program's reward are made there, exactly as on the year scored in one process
    (`designate`, `select`, `Selection.reward`).

    `table` holds, row for row, the year's fixed columns and `program.decision_columns` beside
    `evaluate_frame`'s results for those rows: score, stars, standing, vetoed, weak_lax and the
    `pts_` column of each tie-break criterion. `exemplar.dask.decide` and
    `exemplar.spark.decide` build it and call this.

    >>> import pandas as pd
    >>> p = Program.default()
    >>> year = sample_year()
    >>> scores = p.evaluate_frame(year).drop(columns=["org_id", "scheme"])
    >>> d = decide(p, pd.concat([year, scores], axis=1))
    >>> d.selection.to_dict() == select(p, load_year(year, p)).to_dict()
    True
    """
    kind, table = kind_of(table)
    check_columns(kind, table)
    incomplete = None if procedure_incomplete is None else _mapping(procedure_incomplete, *REASONS)
    designations, selection, allocation = _exemplar._decide(_core(program), to_arrow(kind, table), incomplete)
    return Decisions(designations, selection, allocation)


def _exact_weights(values: Sequence[Any]) -> List[int]:
    """Whole-number weights exactly; if any is fractional, all are taken to six decimals."""
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "__float__"):
            raise error(PolicyError, f"权重{v!r}不是数字", f"weight {v!r} is not a number")
        if float(v) != float(v) or float(v) < 0 or float(v) == float("inf"):
            raise error(PolicyError, f"权重{v!r}应为有限的非负数", f"weight {v!r} must be a finite non-negative number")
    if all(float(v).is_integer() for v in values):
        return [int(v) for v in values]
    return [round(float(v) * 1_000_000) for v in values]


def allocate(
    pool_fen: int,
    weights: Union[Mapping[str, Any], Selection],
    policy: str = "proportional",
    floor_fen: int = 0,
    cap_fen: Optional[int] = None,
    threshold: Optional[float] = None,
    tiers: Optional[Mapping[Any, int]] = None,
    language: Literal["zh", "en"] = "zh",
) -> Allocation:
    """Pays `pool_fen` to the fen by largest remainder.

    `weights` maps ids to numbers (or is a `Selection`: its named exemplars weighted by score,
    ids `org_id@scheme`). `policy`: "proportional", "equal", or "tiered" (then `weights` maps ids
    to tier keys and `tiers` maps tier keys to fen). Ids weighing less than `threshold` get
    nothing and are listed as excluded. Every award states its basis, in `language`; `rest` is
    what caps leave undistributed.

    >>> a = allocate(100, {"a": 1, "b": 1, "c": 1})
    >>> a.amounts_fen, a.rest_fen
    ({'a': 34, 'b': 33, 'c': 33}, 0)
    """
    if isinstance(weights, Selection):
        weights = {f"{n['org_id']}@{n['scheme']}": round(n["score"] * 100) for n in weights.named}
    weights = _mapping(weights, "从编号到权重的dict，或Selection", "a dict of id to weight, or a Selection")
    ids = [str(k) for k in weights]
    values = list(weights.values())
    if policy not in ("proportional", "equal", "tiered"):
        raise error(
            PolicyError,
            f"未知的分配方式{policy!r}：应为proportional、equal或tiered",
            f"unknown policy {policy!r}: proportional, equal or tiered",
        )
    if (tiers is not None) != (policy == "tiered"):
        raise error(
            PolicyError,
            'tiers（档次 → 分）与policy="tiered"配合使用，且只与它配合使用',
            'tiers (tier key → fen) go with policy="tiered", and only with it',
        )
    if policy == "tiered":
        if threshold is not None:
            raise error(
                PolicyError,
                "门槛只适用于按比例和平均分配，不适用于分档",
                "a threshold applies to proportional and equal shares, not to tiers",
            )
        tiers = _mapping(tiers, "从档次到分的dict", "a dict of tier key to fen")
        amounts = []
        for v in values:
            try:
                amounts.append(tiers[v])
            except (KeyError, TypeError):
                raise error(PolicyError, f"档次{v!r}没有金额", f"no tier amount for {v!r}") from None
        return _exemplar.fixed_amounts(pool_fen, ids, amounts, floor_fen, cap_fen, language)
    # The threshold is scaled with the weights, so it compares like with like.
    scaled = _exact_weights(values + ([] if threshold is None else [threshold]))
    limit = None if threshold is None else scaled.pop()
    return _exemplar.apportion(pool_fen, ids, scaled, floor_fen, cap_fen, limit, policy == "equal", language)


def annual_workbook(program: Program, year: Year, path: PathLike) -> None:
    """Runs the year's annual review (evaluate, designate the weak and lax, select, pay) and
    writes the annual workbook officials keep to `path`: 总表, 评分明细, 推荐名单, 奖补分配 (yuan,
    two decimals), 整顿名单 and 差距分析, headers in the program's language, header rows frozen."""
    _year(year).write_annual_workbook(_core(program), _path(path))


def year_over_year(years: Mapping[int, Sequence[Evaluation]], year: Year) -> YearOverYear:
    """Transition matrices (rows and columns: advanced, good, average, lagging, none) per county
    and scheme, and each organization's history with `turned_around` flags."""
    years = _mapping(years, "从年份到评价列表的dict", "a dict of year to a list of Evaluations")
    return _exemplar.year_over_year({y: _list(e, *EVALUATIONS) for y, e in years.items()}, year)


def read_oversight(setup_json: PathLike, records_csv: PathLike) -> Dict[str, Any]:
    """Oversight set-up (period, groups, links) and its records, as one dict."""
    return _exemplar.read_oversight(_read(setup_json), _read(records_csv))


def oversight_status(
    program: Program, oversight: Mapping[str, Any], year: Year, as_of: Any, calendar: Optional[Mapping[str, Any]] = None
) -> OversightStatus:
    """Where oversight stands on `as_of`: every item due with its state and days overdue,
    completion and on-time rates per group, county and area, and derived indicators."""
    oversight = _mapping(oversight, "read_oversight返回的dict", "the dict read_oversight returns")
    calendar = None if calendar is None else _mapping(calendar, "日历dict", "a calendar dict")
    return _year(year).oversight_status(_core(program), oversight, as_of, calendar)


def sample_year(n: Optional[int] = None, seed: int = 2023, year: int = 2023) -> Any:
    """A generated year as a pandas DataFrame: the committed sample year when `n` is None and
    seed and year are 2023, else `n` organizations (a million in seconds)."""
    return _exemplar.sample_year_table(_exemplar.Program.default(), n, seed, year).to_pandas()


def sample_columns(scheme: str, n: int, seed: int = 7, program: Optional[Program] = None) -> Dict[str, Any]:
    """`n` generated rows of one scheme as float64 numpy columns (what the benchmark uses)."""
    p = _exemplar.Program.default() if program is None else _core(program)
    return _exemplar.sample_columns(p, scheme, n, seed)
