//! The documents officials read: the annual workbook holds the library's numbers (read back by
//! calamine, a reader the writer does not share), the public notice its period and its named.

use exemplar::documents::notice::Notice;
use exemplar::oversight::calendar::Calendar;
use exemplar::{Language, Program, Year};

fn sample() -> (Program, Year) {
    let program = Program::default();
    let year = exemplar::sample::sample_year(&program, Some(300), 5, 2023).unwrap();
    (program, year)
}

#[cfg(feature = "xlsx")]
#[test]
fn the_annual_workbook_holds_the_librarys_numbers() {
    use calamine::{Data, Reader};
    let (program, year) = sample();
    for lang in [Language::Zh, Language::En] {
        let program = program.with_language(lang);
        let review = program.annual_review(&year).unwrap();
        let bytes = program.annual_workbook(&year, &review).unwrap();
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = match lang {
            Language::Zh => ["总表", "评分明细", "推荐名单", "奖补分配", "整顿名单", "差距分析"],
            Language::En => ["Summary", "Criteria", "Named", "Awards", "Rectification", "Gaps"],
        };
        assert_eq!(book.sheet_names(), names);
        let cents = |d: &Data| match d {
            Data::Float(x) => (x * 100.0).round() as i64,
            other => panic!("{other:?} is not a number"),
        };
        // 总表: each evaluation's score, in hundredths.
        let summary = book.worksheet_range(names[0]).unwrap();
        let scores: Vec<i64> = summary.rows().skip(1).map(|r| cents(&r[5])).collect();
        assert_eq!(scores, review.evaluations.iter().map(|e| e.score.hundredths()).collect::<Vec<_>>());
        // 奖补分配: each award in yuan is its fen exactly; the last row is the total paid.
        let awards = book.worksheet_range(names[3]).unwrap();
        let mut rows: Vec<_> = awards.rows().skip(1).collect();
        let total = rows.pop().unwrap();
        let got: Vec<i64> = rows.iter().map(|r| cents(&r[4])).collect();
        assert_eq!(got, review.allocation.awards.iter().map(|a| a.amount_fen.0).collect::<Vec<_>>());
        assert_eq!(cents(&total[4]), review.allocation.paid_fen.0);
        // 整顿名单: one row per designated organization.
        assert_eq!(book.worksheet_range(names[4]).unwrap().height(), review.designations.len() + 1);
    }
}

fn notice() -> Notice {
    Notice { posted: "2024-01-12".parse().unwrap(), issuer: "Organization Department".into(), contact: "a & b".into() }
}

#[test]
fn the_notice_runs_its_working_days_and_lists_every_named() {
    let (program, year) = sample();
    let en = program.with_language(Language::En);
    let review = en.annual_review(&year).unwrap();
    // Friday 12 January 2024, Monday 15 a holiday: 12, 16, 17, 18, 19.
    let cal = Calendar::new(["2024-01-15".parse().unwrap()].into(), Default::default()).unwrap();
    let html = en.public_notice(&year, &review.selection, &notice(), &cal).unwrap();
    assert!(html.contains("Notice period: 12 January 2024 to 19 January 2024 (5 working days)."), "{html}");
    assert!(html.contains("a &amp; b") && !html.contains("a & b"));
    let n = review.selection.named.len();
    assert!(html.contains(&format!("Total: {n} organizations.")));
    for named in &review.selection.named {
        let name = &year.organization(&named.org_id).unwrap().name;
        assert!(html.contains(&format!("<td>{name}</td>")), "{name}");
    }
    // Numbered 1 to n, each once.
    assert!(
        html.contains(&format!("<td class=\"n\">{n}</td>"))
            && !html.contains(&format!("<td class=\"n\">{}</td>", n + 1))
    );
}

#[test]
fn a_notice_in_calendar_days_when_the_stage_says_so() {
    let from = "name_en = \"public notice\"\ndays = 5\nworking_days = true\n";
    let text = exemplar::rules::program::DEFAULT_PROGRAM_TOML.replace(from, "name_en = \"public notice\"\ndays = 7\n");
    assert_ne!(text, exemplar::rules::program::DEFAULT_PROGRAM_TOML);
    let program = Program::from_toml(&text).unwrap();
    let year = exemplar::sample::sample_year(&program, Some(100), 5, 2023).unwrap();
    let review = program.annual_review(&year).unwrap();
    let html = program.public_notice(&year, &review.selection, &notice(), &Calendar::default()).unwrap();
    // 7 calendar days from Friday 12 January: to Thursday 18 January.
    assert!(html.contains("公示期：2024年1月12日至2024年1月18日（7天）"), "{}", &html[..2000.min(html.len())]);
}
