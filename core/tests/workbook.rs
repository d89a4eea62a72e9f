//! A year in an Excel workbook: read back exactly as from CSV, by sheet per scheme or one flat
//! sheet, headers by id or Chinese name; errors name the sheet, the cell and the indicator.
#![cfg(feature = "xlsx")]

use exemplar::{Program, Year};
use rust_xlsxwriter::Workbook;

fn sample() -> (Program, Year) {
    let program = Program::default();
    let year = exemplar::sample::sample_year(&program, Some(300), 11, 2023).unwrap();
    (program, year)
}

/// Reports in one order (a workbook holds them sheet by sheet).
fn sorted(mut y: Year) -> Year {
    y.reports.sort_by(|a, b| (&a.scheme, &a.org_id, a.period).cmp(&(&b.scheme, &b.org_id, b.period)));
    y
}

#[test]
fn a_year_written_to_a_workbook_reads_back_and_scores_exactly_as_from_csv() {
    let (program, year) = sample();
    let mut csv = Vec::new();
    year.to_csv(&program, &mut csv).unwrap();
    let from_csv = Year::from_csv(csv.as_slice(), "year.csv", &program).unwrap();
    let bytes = year.to_xlsx(&program).unwrap();
    let from_xlsx = Year::from_xlsx(&bytes, "year.xlsx", &program).unwrap();
    assert_eq!(sorted(from_xlsx.clone()), sorted(from_csv.clone()));
    assert_eq!(program.evaluate_year(&from_xlsx).unwrap(), program.evaluate_year(&from_csv).unwrap());
}

/// One flat sheet as an analyst exports it: ids as headers, a scheme column, numbers and text.
#[test]
fn one_flat_sheet_with_ids_or_chinese_names() {
    let (program, year) = sample();
    let r = &year.reports[0];
    let o = year.organization(&r.org_id).unwrap();
    let plan = program.plan(&r.scheme).unwrap();
    let inputs: Vec<&str> = plan.slots().iter().filter(|s| !s.is_event()).map(|s| s.name.as_str()).collect();
    for chinese in [false, true] {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("数据").unwrap();
        let fixed = ["org_id", "name", "form", "sector", "county", "township", "parent", "scheme", "period", "events"];
        let zh =
            ["组织编号", "党组织名称", "组织形式", "领域", "县市", "乡镇", "上级党组织", "方案", "期间", "记录事项"];
        for (c, h) in (if chinese { zh } else { fixed }).iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        let cells = [&o.org_id, &o.name, &o.form.to_string(), &o.sector.to_string(), &o.county, &o.township];
        for (c, t) in cells.iter().enumerate() {
            sheet.write_string(1, c as u16, t.as_str()).unwrap();
        }
        sheet.write_string(1, 7, &r.scheme).unwrap();
        sheet.write_number(1, 8, r.period.year_number() as f64).unwrap(); // 2023 typed as a number
        for (k, name) in inputs.iter().enumerate() {
            let header = if chinese { program.indicator(name).unwrap().name_zh.clone() } else { name.to_string() };
            sheet.write_string(0, (10 + k) as u16, &header).unwrap();
            if let Some(v) = r.values.get(*name) {
                sheet.write_number(1, (10 + k) as u16, *v).unwrap();
            }
        }
        let got = Year::from_xlsx(&book.save_to_buffer().unwrap(), "flat.xlsx", &program).unwrap();
        let want = exemplar::Report { events: Vec::new(), ..r.clone() };
        assert_eq!(got.reports, std::slice::from_ref(&want));
        assert_eq!(program.evaluate(&got.reports[0]).unwrap(), program.evaluate(&want).unwrap());
    }
}

/// The error names the workbook, the sheet, the cell and the indicator.
#[test]
fn errors_name_the_sheet_the_cell_and_the_indicator() {
    let program = Program::default();
    let book = |f: &dyn Fn(&mut rust_xlsxwriter::Worksheet)| {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("抓党建促乡村振兴示范区").unwrap();
        for (c, h) in
            ["组织编号", "党组织名称", "组织形式", "领域", "县市", "乡镇", "期间", "书记在岗履职"].iter().enumerate()
        {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (c, t) in ["v1", "一村", "branch", "village", "楚雄市", "一镇", "2023"].iter().enumerate() {
            sheet.write_string(1, c as u16, *t).unwrap();
        }
        f(sheet);
        book.save_to_buffer().unwrap()
    };
    let err = |b: Vec<u8>| Year::from_xlsx(&b, "year.xlsx", &program).unwrap_err().to_string();
    // A word where a number belongs: the sheet, the cell H2 and the indicator.
    let e = err(book(&|s| {
        s.write_string(1, 7, "是").unwrap();
    }));
    assert!(
        e.contains("secretary_in_post") && e.contains("sheet 抓党建促乡村振兴示范区, cell H2") && e.contains("`是`"),
        "{e}"
    );
    // A header that is neither a column nor an indicator: the cell I1.
    let e = err(book(&|s| {
        s.write_string(0, 8, "满意度").unwrap();
    }));
    assert!(e.contains("sheet 抓党建促乡村振兴示范区, cell I1") && e.contains("`满意度`"), "{e}");
    // A sheet that names no scheme and has no scheme column.
    let mut b = Workbook::new();
    let s = b.add_worksheet();
    s.set_name("Sheet1").unwrap();
    s.write_string(0, 0, "org_id").unwrap();
    s.write_string(0, 1, "period").unwrap();
    let e = err(b.save_to_buffer().unwrap());
    assert!(e.contains("sheet Sheet1") && e.contains("names no scheme"), "{e}");
}

/// The selection fixture's year as another program wrote it (openpyxl): one flat sheet, Chinese
/// headers for the fixed columns and one indicator, an id for the other, periods typed as
/// numbers. It is the same year as the fixture's CSV (also replayed by Python and C).
#[test]
fn the_fixture_workbook_is_the_fixture_csv() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/selection");
    let program = Program::from_path(dir.join("program.toml")).unwrap();
    let csv = Year::from_csv_path(dir.join("year.csv"), &program).unwrap();
    assert_eq!(Year::from_xlsx_path(dir.join("year.xlsx"), &program).unwrap(), csv);
}
