//! The public notice (公示) of the named exemplars: an HTML document printable on A4, listing
//! them by county and area, with the notice period in working days and where to send objections.

use crate::data::year::Year;
use crate::decisions::select::{Named, Selection};
use crate::error::{Error, Result};
use crate::oversight::calendar::Calendar;
use crate::rules::language::Language;
use crate::rules::program::Program;
use crate::rules::rubric::Stage;
use chrono::{Datelike, NaiveDate};

/// What a notice says besides the named: when it is posted, who posts it and where objections go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The day it is posted; the period starts on the first working day from it.
    pub posted: NaiveDate,
    /// Who issues it (中共楚雄州委组织部).
    pub issuer: String,
    /// Where to send objections: an office, a telephone, an address.
    pub contact: String,
}

/// The notice period: `days` from the program's `public_notice` stage (5 working days when the
/// program has none), from the first working day on or after `posted` when counted in working days.
fn period(program: &Program, posted: NaiveDate, cal: &Calendar) -> Result<(NaiveDate, NaiveDate, u32, bool)> {
    let stage = program.file().stages.iter().find(|s| s.stage == Stage::PublicNotice);
    let (days, working) = stage.map_or((5, true), |s| (s.days.max(1), s.working_days));
    let out = || {
        Error::Argument(crate::rules::language::text!(
            "{posted}张贴的公示将超出日历范围",
            "a notice posted on {posted} runs past the calendar's last date"
        ))
    };
    if working {
        let start = cal.nth_working_day(posted, 1);
        Ok((start, cal.nth_working_day(start, days), days, true))
    } else {
        let end = posted.checked_add_days(chrono::Days::new(u64::from(days - 1))).ok_or_else(out)?;
        Ok((posted, end, days, false))
    }
}

/// Text for HTML: `&`, `<`, `>` and quotes escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A date as an official document writes it: 2024年1月15日, or 15 January 2024.
pub fn date_words(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Language::En => d.format("%-d %B %Y").to_string(),
    }
}

impl Program {
    /// The public notice of a selection's named exemplars as an HTML document (A4 print styles),
    /// in the program's language: grouped by county (in the order of the year's organizations),
    /// then by area, each with its score and stars; the notice period from the program's
    /// `public_notice` stage and the calendar; where to send objections; the total.
    ///
    /// ```
    /// use exemplar::documents::notice::Notice;
    /// use exemplar::oversight::calendar::Calendar;
    /// let program = exemplar::Program::default();
    /// let year = exemplar::sample::sample_year(&program, Some(200), 1, 2023)?;
    /// let review = program.annual_review(&year)?;
    /// let notice = Notice {
    ///     posted: "2024-01-12".parse().unwrap(), // a Friday
    ///     issuer: "中共楚雄州委组织部".into(),
    ///     contact: "州委组织部组织科，电话0878-0000000".into(),
    /// };
    /// let html = program.public_notice(&year, &review.selection, &notice, &Calendar::default())?;
    /// // Five working days from Friday 12 January: Fri, Mon, Tue, Wed, Thu.
    /// assert!(html.contains("2024年1月12日至2024年1月18日"));
    /// # Ok::<(), exemplar::Error>(())
    /// ```
    pub fn public_notice(&self, year: &Year, selection: &Selection, notice: &Notice, cal: &Calendar) -> Result<String> {
        let lang = self.language();
        let zh = lang == Language::Zh;
        let info = &self.file().program;
        let program_name = escape(if zh { &info.name_zh } else { info.name_en.as_deref().unwrap_or(&info.id) });
        let (start, end, days, working) = period(self, notice.posted, cal)?;
        let (start_w, end_w) = (date_words(start, lang), date_words(end, lang));
        let n = selection.named.len();
        let (issuer, contact) = (escape(&notice.issuer), escape(&notice.contact));

        // Counties in the order the year lists its organizations' counties first; within each,
        // areas in the program's order, then rank.
        let mut counties: Vec<&str> = Vec::new();
        for o in &year.organizations {
            if !counties.contains(&o.county.as_str()) {
                counties.push(&o.county);
            }
        }
        for named in &selection.named {
            if !counties.contains(&named.county.as_str()) {
                counties.push(&named.county);
            }
        }
        let scheme_rank = |id: &str| self.schemes().iter().position(|s| s.id == id).unwrap_or(usize::MAX);
        let name = |id: &str| year.organization(id).map_or(id.to_string(), |o| o.name.clone());

        let mut html = String::new();
        let title = if zh {
            format!("关于{program_name}拟命名先进典型的公示")
        } else {
            format!("Public notice of the exemplars to be named: {program_name}")
        };
        html.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n\
             @page {{ size: A4; margin: 20mm 18mm; }}\n\
             body {{ font-family: \"Noto Serif CJK SC\", \"Noto Sans CJK SC\", \"SimSun\", serif; font-size: 12pt; line-height: 1.6; }}\n\
             h1 {{ text-align: center; font-size: 18pt; }}\n\
             h2 {{ font-size: 13pt; margin: 1em 0 0.3em; }}\n\
             table {{ width: 100%; border-collapse: collapse; }}\n\
             th, td {{ border: 1px solid #000; padding: 2px 6px; }}\n\
             td.n {{ text-align: right; }}\n\
             thead {{ display: table-header-group; }}\n\
             tr {{ page-break-inside: avoid; }}\n\
             .sign {{ text-align: right; margin-top: 2em; }}\n\
             </style>\n</head>\n<body>\n<h1>{title}</h1>\n",
            if zh { "zh-CN" } else { "en" }
        ));
        let unit = if working { lang.pick("个工作日", " working days") } else { lang.pick("天", " days") };
        if zh {
            html.push_str(&format!(
                "<p>根据{program_name}有关规定，经推荐、审核、实地考察和集体研究，拟命名以下{n}个党组织为先进典型，现予公示。</p>\n\
                 <p>公示期：{start_w}至{end_w}（{days}{unit}）。</p>\n\
                 <p>公示期间，对公示对象如有异议，请以书面形式向{contact}反映，并提供具体事实。</p>\n"
            ));
        } else {
            html.push_str(&format!(
                "<p>Under the rules of {program_name}, after nomination, review, field inspection and collective decision, \
                 the {n} organizations below are to be named exemplars; this is their public notice.</p>\n\
                 <p>Notice period: {start_w} to {end_w} ({days}{unit}).</p>\n\
                 <p>Objections to any organization listed, in writing and with the facts, go to {contact}.</p>\n"
            ));
        }
        let headers = if zh {
            ["序号", "党组织名称", "示范区", "得分", "星级"]
        } else {
            ["No.", "Organization", "Area", "Score", "Stars"]
        };
        let mut k = 0;
        for county in &counties {
            let mut here: Vec<&Named> = selection.named.iter().filter(|x| x.county == *county).collect();
            if here.is_empty() {
                continue;
            }
            here.sort_by_key(|x| (scheme_rank(&x.scheme), x.rank));
            let count = here.len();
            let county = escape(county);
            html.push_str(&if zh {
                format!("<h2>{county}（{count}个）</h2>\n")
            } else {
                format!("<h2>{county} ({count})</h2>\n")
            });
            html.push_str("<table>\n<thead><tr>");
            for h in headers {
                html.push_str(&format!("<th>{h}</th>"));
            }
            html.push_str("</tr></thead>\n<tbody>\n");
            for x in here {
                k += 1;
                let area = self.plan(&x.scheme).map_or(x.scheme.as_str(), |p| p.name(lang));
                let stars = x.stars.map_or(String::new(), |s| s.to_string());
                html.push_str(&format!(
                    "<tr><td class=\"n\">{k}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{stars}</td></tr>\n",
                    escape(&name(&x.org_id)),
                    escape(area),
                    x.score
                ));
            }
            html.push_str("</tbody>\n</table>\n");
        }
        html.push_str(&if zh {
            format!("<p>合计：{n}个党组织。</p>\n")
        } else {
            format!("<p>Total: {n} organizations.</p>\n")
        });
        html.push_str(&format!(
            "<p class=\"sign\">{issuer}<br>{}</p>\n</body>\n</html>\n",
            date_words(notice.posted, lang)
        ));
        Ok(html)
    }
}
