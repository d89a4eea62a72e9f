"""Checks the documents a main job wrote for the sample year against the library's own results:
the annual workbook read back with an independent reader (openpyxl), and the public notice
rendered to PDF by headless Chromium with its text extracted by pdftotext.

    python tests/main_job/check_documents.py folder [zh|en]
"""

import pathlib
import re
import subprocess
import sys
import tempfile

import openpyxl

import exemplar

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"


def cents(x) -> int:
    """A number as the workbook holds it, in hundredths (points or fen)."""
    return round(float(x) * 100)


def rows(book, name):
    sheet = book[name]
    assert sheet.freeze_panes == "A2", f"{name}: header row not frozen"
    return [r for r in sheet.iter_rows(min_row=2, values_only=True)]


def check_workbook(path: pathlib.Path, program, year, zh: bool) -> None:
    evaluations = program.evaluate_year(year)
    designations = exemplar.designate(program, year, evaluations)
    selection = exemplar.select(program, year, evaluations)
    pay = selection.reward()
    book = openpyxl.load_workbook(path)
    names = ["总表", "评分明细", "推荐名单", "奖补分配", "整顿名单", "差距分析"] if zh else [
        "Summary", "Criteria", "Named", "Awards", "Rectification", "Gaps"]
    assert book.sheetnames == names, book.sheetnames

    summary = rows(book, names[0])
    assert len(summary) == len(evaluations)
    for r, e in zip(summary, evaluations):
        assert (r[0], cents(r[5]), r[6]) == (e.org_id, round(e.score * 100), e.stars), (r, e)

    criteria = rows(book, names[1])
    want = [(e.org_id, c["points"]) for e in evaluations for s in e.to_dict()["sheets"] for sec in s["sections"] for c in sec["criteria"]]
    assert [(r[0], cents(r[8])) for r in criteria] == [(o, round(p * 100)) for o, p in want]

    named = rows(book, names[2])
    assert [(r[0], r[1], cents(r[5]), r[7]) for r in named] == [
        (n["rank"], n["org_id"], round(n["score"] * 100), n["tier"]) for n in selection.named]

    awards = rows(book, names[3])
    total = awards.pop()
    assert {(r[0], cents(r[4])) for r in awards} == {(w["id"], w["amount_fen"]) for w in pay.awards}
    assert cents(total[4]) == pay.paid_fen, total
    money = book[names[3]].cell(row=2, column=5)
    assert money.number_format == "#,##0.00" and isinstance(money.value, float), money.number_format

    assert [r[0] for r in rows(book, names[4])] == [d["org_id"] for d in designations]
    assert len(rows(book, names[5])) == len(evaluations)
    print(f"{path}: {len(summary)} evaluations, {len(named)} named, {pay.paid_fen} fen: as the library's")


def check_notice(path: pathlib.Path, year, selection, zh: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = pathlib.Path(tmp) / "notice.pdf"
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", path.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    by_id = {o["org_id"]: o["name"] for o in year.organizations}
    missing = [by_id[n["org_id"]] for n in selection.named if by_id[n["org_id"]] not in flat]
    assert not missing, f"{path}: not in the PDF: {missing[:5]}"
    n = len(selection.named)
    wanted = ["2023年12月25日", "2023年12月29日", f"合计：{n}个党组织"] if zh else [
        "25December2023", "29December2023", f"Total:{n}organizations"]
    for w in wanted:
        assert w in flat, f"{path}: `{w}` not in the PDF"
    print(f"{path}: the PDF names all {n} exemplars, the period and the total")


def main() -> int:
    folder, lang = pathlib.Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "zh"
    program = exemplar.Program.default().with_language(lang)  # type: ignore[arg-type]
    year = exemplar.load_year(DATA / "sample_year.csv", program)
    check_workbook(folder / "annual_review.xlsx", program, year, lang == "zh")
    check_notice(folder / "notice.html", year, exemplar.select(program, year), lang == "zh")
    return 0


if __name__ == "__main__":
    sys.exit(main())
