"""Excel in and out, and the public notice, from Python: a year read from a workbook (the
library's reader, or pandas' calamine engine) scores exactly as from CSV; the annual workbook
holds the library's numbers as an independent reader sees them; the notice lists the named."""

import pathlib

import openpyxl
import pandas as pd
import pytest

import exemplar

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data"


@pytest.fixture(scope="module")
def year(program):
    return exemplar.load_year(DATA / "sample_year.csv", program)


def scores(program, year):
    return [(e.org_id, e.scheme, e.score, e.stars) for e in program.evaluate_year(year)]


def test_a_workbook_scores_exactly_as_the_csv(program, year, tmp_path):
    path = tmp_path / "year.xlsx"
    year.to_xlsx(program._inner, path)
    again = exemplar.load_year(path, program)
    assert scores(program, again) == scores(program, year)
    # One sheet per scheme, named in Chinese, Chinese headers.
    sheet = openpyxl.load_workbook(path)["抓党建促乡村振兴示范区"]
    assert [c.value for c in sheet[1]][:3] == ["组织编号", "党组织名称", "组织形式"]


def test_pandas_reads_a_sheet_the_library_loads(program, year, tmp_path):
    """The other way in: pandas reads each sheet (calamine engine), the frames become one table."""
    path = tmp_path / "year.xlsx"
    year.to_xlsx(program._inner, path)
    names = {s["name_zh"]: s["id"] for s in program.schemes}
    by_zh = {d["name_zh"]: d["id"] for d in program.indicators}
    fixed = dict(zip(["组织编号", "党组织名称", "组织形式", "领域", "县市", "乡镇", "上级党组织", "期间", "记录事项"],
                     ["org_id", "name", "form", "sector", "county", "township", "parent", "period", "events"]))
    frames = []
    for sheet, frame in pd.read_excel(path, sheet_name=None, engine="calamine", dtype={"期间": str}).items():
        frame = frame.rename(columns={**fixed, **by_zh})
        frame.insert(7, "scheme", names[sheet])
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    assert scores(program, exemplar.load_year(table, program)) == scores(program, year)


def test_a_bad_cell_names_the_sheet_the_cell_and_the_indicator(program, year, tmp_path):
    path = tmp_path / "year.xlsx"
    year.to_xlsx(program._inner, path)
    book = openpyxl.load_workbook(path)
    sheet = book["抓党建促乡村振兴示范区"]
    sheet["J2"] = "是"  # the first indicator column
    book.save(path)
    with pytest.raises(exemplar.InputError) as err:
        exemplar.load_year(path, program)
    assert "sheet 抓党建促乡村振兴示范区, cell J2" in str(err.value) and err.value.field == "secretary_in_post"
    with pytest.raises(exemplar.FileError):
        exemplar.load_year(tmp_path / "missing.xlsx", program)


def test_the_annual_workbook_holds_the_librarys_numbers(program, year, tmp_path):
    path = tmp_path / "annual.xlsx"
    exemplar.annual_workbook(program, year, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["总表", "评分明细", "推荐名单", "奖补分配", "整顿名单", "差距分析"]
    pay = exemplar.select(program, year).reward()
    awards = list(book["奖补分配"].iter_rows(min_row=2, values_only=True))
    total = awards.pop()
    # Yuan with two decimals: the fen exactly.
    assert {(r[0], round(r[4] * 100)) for r in awards} == {(w["id"], w["amount_fen"]) for w in pay.awards}
    assert (total[0], round(total[4] * 100)) == ("合计", pay.paid_fen)
    assert book["奖补分配"]["E2"].number_format == "#,##0.00"
    # In English, the same numbers under English headers.
    exemplar.annual_workbook(program.with_language("en"), year, tmp_path / "en.xlsx")
    en = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert en.sheetnames == ["Summary", "Criteria", "Named", "Awards", "Rectification", "Gaps"]
    assert [r[4] for r in en["Awards"].iter_rows(min_row=2, values_only=True)] == [r[4] for r in awards + [total]]


def test_the_public_notice_lists_the_named(program, year):
    selection = exemplar.select(program, year)
    # Five working days from Friday 29 December 2023: the 29th, then 2 to 5 January (the weekend
    # and New Year's Day, a holiday, skipped).
    calendar = {"holidays": ["2024-01-01"], "workdays": []}
    html = selection.public_notice(year, "2023-12-29", "中共楚雄州委组织部", "州委组织部组织科", calendar)
    assert "公示期：2023年12月29日至2024年1月5日（5个工作日）" in html
    names = {o["org_id"]: o["name"] for o in year.organizations}
    assert all(names[n["org_id"]] in html for n in selection.named)
    assert f"合计：{len(selection.named)}个党组织" in html
    with pytest.raises(exemplar.InputError):
        selection.public_notice(year, "2023-13-01", "x", "y")


def test_the_fixture_workbook_is_the_fixture_csv():
    """The selection fixture's year as openpyxl wrote it (one flat sheet, Chinese headers)."""
    folder = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "selection"
    program = exemplar.Program.from_file(folder / "program.toml")
    csv, xlsx = (exemplar.load_year(folder / f, program) for f in ("year.csv", "year.xlsx"))
    assert xlsx.to_csv_text(program._inner) == csv.to_csv_text(program._inner)
