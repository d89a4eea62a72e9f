//! The annual workbook officials keep: 总表 (every evaluation), 评分明细 (every criterion's points
//! and reason), 推荐名单 (the named), 奖补分配 (awards in yuan, with the basis), 整顿名单 (the weak
//! and lax) and 差距分析 (gaps and improvement plans), headers in the program's language, header
//! rows frozen, numbers as numbers with their formats.

use crate::data::year::Year;
use crate::documents::AnnualReview;
use crate::error::{Error, Result};
use crate::rules::language::Language;
use crate::rules::program::Program;
use crate::scoring::gap::Goal;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

fn x(e: XlsxError) -> Error {
    Error::Io { path: "annual workbook".into(), message: e.to_string() }
}

/// One cell's value.
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// How a column's numbers look.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Points,
    Stars,
    Yuan,
    Whole,
    Value,
}

/// A sheet: its name, its columns (header and kind, and width) and its rows.
struct Sheet {
    name: &'static str,
    columns: Vec<(&'static str, Kind, f64)>,
    rows: Vec<Vec<Cell>>,
}

fn write(book: &mut Workbook, s: &Sheet) -> Result<()> {
    let header = Format::new().set_bold().set_background_color(0xD9E1F2).set_text_wrap();
    let formats = |k: Kind| match k {
        Kind::Points => Format::new().set_num_format("0.00"),
        Kind::Stars => Format::new().set_num_format("0\"★\""),
        Kind::Yuan => Format::new().set_num_format("#,##0.00"),
        Kind::Whole => Format::new().set_num_format("0"),
        Kind::Value => Format::new().set_num_format("General"),
        Kind::Text => Format::new(),
    };
    let sheet: &mut Worksheet = book.add_worksheet();
    sheet.set_name(s.name).map_err(x)?;
    for (c, (h, _, width)) in s.columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header).map_err(x)?;
        sheet.set_column_width(c as u16, *width).map_err(x)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(x)?;
    for (i, row) in s.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let f = formats(s.columns.get(c).map_or(Kind::Text, |k| k.1));
            match cell {
                Cell::Text(t) => sheet.write_string_with_format(r, c as u16, t, &f).map_err(x)?,
                Cell::Number(n) => sheet.write_number_with_format(r, c as u16, *n, &f).map_err(x)?,
                Cell::Empty => sheet,
            };
        }
    }
    Ok(())
}

impl Program {
    /// The annual workbook of a year's review, as `.xlsx` bytes: six sheets, headers in the
    /// program's language. Scores are numbers in points (two decimals), stars whole numbers shown
    /// with ★, awards numbers in yuan (two decimals: the fen exactly), every reason and basis as
    /// the library words it.
    ///
    /// ```
    /// let program = exemplar::Program::default();
    /// let year = exemplar::sample::sample_year(&program, Some(100), 1, 2023)?;
    /// let bytes = program.annual_workbook(&year, &program.annual_review(&year)?)?;
    /// assert_eq!(&bytes[..2], b"PK"); // an xlsx file is a zip archive
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn annual_workbook(&self, year: &Year, review: &AnnualReview) -> Result<Vec<u8>> {
        let lang = self.language();
        let zh = lang == Language::Zh;
        let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let org = |id: &str| year.organization(id);
        let name = |id: &str| Cell::from(org(id).map_or("", |o| o.name.as_str()));
        let county = |id: &str| Cell::from(org(id).map_or("", |o| o.county.as_str()));
        let scheme = |id: &str| Cell::from(self.plan(id).map_or(id, |p| p.name(lang)));
        let points = |p: crate::Points| Cell::Number(p.as_f64());
        let stars = |s: Option<crate::Stars>| s.map_or(Cell::Empty, |s| Cell::Number(f64::from(s.get())));
        let (id, org_name, county_h, scheme_h, score_h, stars_h) = (
            t("组织编号", "org_id"),
            t("党组织名称", "organization"),
            t("县市", "county"),
            t("示范区", "scheme"),
            t("得分", "score"),
            t("星级", "stars"),
        );
        let mut sheets = Vec::new();

        let evals = &review.evaluations;
        sheets.push(Sheet {
            name: t("总表", "Summary"),
            columns: vec![
                (id, Kind::Text, 16.0),
                (org_name, Kind::Text, 32.0),
                (county_h, Kind::Text, 10.0),
                (scheme_h, Kind::Text, 30.0),
                (t("期间", "period"), Kind::Text, 9.0),
                (score_h, Kind::Points, 9.0),
                (stars_h, Kind::Stars, 7.0),
                (t("等次", "standing"), Kind::Text, 9.0),
                (t("一票否决", "vetoed"), Kind::Text, 9.0),
                (t("评定说明", "band reason"), Kind::Text, 60.0),
            ],
            rows: evals
                .iter()
                .map(|e| {
                    vec![
                        Cell::from(e.org_id.as_str()),
                        name(&e.org_id),
                        county(&e.org_id),
                        scheme(&e.scheme),
                        Cell::Text(e.period.to_string()),
                        points(e.score),
                        stars(e.stars),
                        e.standing.map_or(Cell::Empty, |s| Cell::from(s.name(lang))),
                        if e.vetoed { Cell::from(t("是", "yes")) } else { Cell::Empty },
                        Cell::from(e.band_reason.as_str()),
                    ]
                })
                .collect(),
        });

        let mut detail = Vec::new();
        for e in evals {
            let plan = self.plan(&e.scheme)?;
            for sheet in &e.sheets {
                for sec in &sheet.sections {
                    for c in &sec.criteria {
                        detail.push(vec![
                            Cell::from(e.org_id.as_str()),
                            name(&e.org_id),
                            scheme(&e.scheme),
                            sheet.assessor.as_deref().map_or(Cell::Empty, Cell::from),
                            Cell::from(plan.section_name(&sec.id, lang).unwrap_or(&sec.name_zh)),
                            Cell::from(plan.criterion_name(&c.id, lang).unwrap_or(&c.name_zh)),
                            c.input.map_or(Cell::Empty, Cell::Number),
                            points(c.max),
                            points(c.points),
                            Cell::from(c.reason.as_str()),
                        ]);
                    }
                }
            }
        }
        sheets.push(Sheet {
            name: t("评分明细", "Criteria"),
            columns: vec![
                (id, Kind::Text, 16.0),
                (org_name, Kind::Text, 32.0),
                (scheme_h, Kind::Text, 30.0),
                (t("评价主体", "assessor"), Kind::Text, 10.0),
                (t("板块", "section"), Kind::Text, 16.0),
                (t("指标", "criterion"), Kind::Text, 34.0),
                (t("读数", "input"), Kind::Value, 10.0),
                (t("满分", "full marks"), Kind::Points, 8.0),
                (score_h, Kind::Points, 8.0),
                (t("说明", "reason"), Kind::Text, 60.0),
            ],
            rows: detail,
        });

        let sel = &review.selection;
        sheets.push(Sheet {
            name: t("推荐名单", "Named"),
            columns: vec![
                (t("排名", "rank"), Kind::Whole, 6.0),
                (id, Kind::Text, 16.0),
                (org_name, Kind::Text, 32.0),
                (county_h, Kind::Text, 10.0),
                (scheme_h, Kind::Text, 30.0),
                (score_h, Kind::Points, 9.0),
                (stars_h, Kind::Stars, 7.0),
                (t("推荐星级", "named at"), Kind::Stars, 9.0),
                (t("推荐依据", "basis"), Kind::Text, 60.0),
            ],
            rows: sel
                .named
                .iter()
                .map(|n| {
                    vec![
                        Cell::Number(n.rank as f64),
                        Cell::from(n.org_id.as_str()),
                        name(&n.org_id),
                        Cell::from(n.county.as_str()),
                        scheme(&n.scheme),
                        points(n.score),
                        stars(n.stars),
                        stars(n.tier),
                        Cell::from(n.basis.as_str()),
                    ]
                })
                .collect(),
        });

        let alloc = &review.allocation;
        let yuan = |fen: crate::decisions::money::Fen| Cell::Number(fen.0 as f64 / 100.0);
        let mut awards: Vec<Vec<Cell>> = alloc
            .awards
            .iter()
            .map(|a| {
                vec![
                    Cell::from(a.id.as_str()),
                    name(&a.id),
                    county(&a.id),
                    a.scheme.as_deref().map_or(Cell::Empty, scheme),
                    yuan(a.amount_fen),
                    Cell::from(a.basis.as_str()),
                ]
            })
            .collect();
        let paid_words = if zh {
            format!("资金池{}元，发放{}元，结余{}元", alloc.pool_fen, alloc.paid_fen, alloc.rest_fen)
        } else {
            format!("pool {} yuan, paid {} yuan, rest {} yuan", alloc.pool_fen, alloc.paid_fen, alloc.rest_fen)
        };
        awards.push(vec![
            Cell::from(t("合计", "total")),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            yuan(alloc.paid_fen),
            Cell::Text(paid_words),
        ]);
        sheets.push(Sheet {
            name: t("奖补分配", "Awards"),
            columns: vec![
                (id, Kind::Text, 16.0),
                (org_name, Kind::Text, 32.0),
                (county_h, Kind::Text, 10.0),
                (scheme_h, Kind::Text, 30.0),
                (t("金额（元）", "amount (yuan)"), Kind::Yuan, 14.0),
                (t("依据", "basis"), Kind::Text, 70.0),
            ],
            rows: awards,
        });

        sheets.push(Sheet {
            name: t("整顿名单", "Rectification"),
            columns: vec![
                (id, Kind::Text, 16.0),
                (org_name, Kind::Text, 32.0),
                (county_h, Kind::Text, 10.0),
                (t("原因", "reasons"), Kind::Text, 90.0),
            ],
            rows: review
                .designations
                .iter()
                .map(|d| {
                    vec![
                        Cell::from(d.org_id.as_str()),
                        name(&d.org_id),
                        Cell::from(d.county.as_str()),
                        Cell::Text(d.reasons.join(lang.clause_sep())),
                    ]
                })
                .collect(),
        });

        let mut gaps = Vec::new();
        for e in evals {
            let gap = self.gap(e)?;
            let plan = self.improvement_plan(e, Goal::Reach)?;
            gaps.push(vec![
                Cell::from(e.org_id.as_str()),
                name(&e.org_id),
                scheme(&e.scheme),
                points(e.score),
                gap.next.map_or(Cell::Empty, Cell::Text),
                points(gap.points_needed),
                Cell::Text(plan.summary),
            ]);
        }
        sheets.push(Sheet {
            name: t("差距分析", "Gaps"),
            columns: vec![
                (id, Kind::Text, 16.0),
                (org_name, Kind::Text, 32.0),
                (scheme_h, Kind::Text, 30.0),
                (score_h, Kind::Points, 9.0),
                (t("目标档次", "next band"), Kind::Text, 9.0),
                (t("还需分数", "points needed"), Kind::Points, 9.0),
                (t("提升方案", "improvement plan"), Kind::Text, 100.0),
            ],
            rows: gaps,
        });

        let mut book = Workbook::new();
        let info = &self.file().program;
        let title = if zh { info.name_zh.clone() } else { info.name_en.clone().unwrap_or_else(|| info.id.clone()) };
        book.set_properties(&crate::data::workbook::properties(&title, year));
        for s in &sheets {
            write(&mut book, s)?;
        }
        book.save_to_buffer().map_err(x)
    }
}
