//! The program's own words as types: organizations, the six areas, periods, stars, standings,
//! and the report an organization files for one scheme and one period.

use crate::rules::language::{Text, text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// 党委 / 党总支 / 党支部 / 党小组.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgForm {
    /// 党委: a Party committee.
    Committee,
    /// 党总支: a general Party branch.
    GeneralBranch,
    /// 党支部: a Party branch.
    Branch,
    /// 党小组: a Party group.
    Group,
}

/// The field an organization works in; score sheets differ by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// 乡镇(街道): township and street committees, who build the demonstration belt.
    Township,
    /// 行政村: a village.
    Village,
    /// 社区: an urban community.
    Community,
    /// 机关: a government agency.
    Agency,
    /// 非公企业: a private enterprise.
    PrivateEnterprise,
    /// 社会组织: a social organization.
    SocialOrg,
    /// 园区: an industrial park.
    Park,
    /// 产业链: an industrial chain.
    IndustrialChain,
    /// 易地搬迁安置社区: a relocation community.
    RelocationCommunity,
    /// 小区(网格): residential compounds and grid cells.
    Grid,
}

/// `Display` and `FromStr` for an enum of unit variants, as the snake_case name its serde
/// attributes give it: one text for each value, in rule files, JSON, CSV and messages.
macro_rules! snake_case_text {
    ($t:ty, $what:literal, $zh:literal) => {
        impl std::str::FromStr for $t {
            type Err = $crate::rules::language::Text;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| {
                    $crate::rules::language::Text::new(
                        format!("未知的{}`{}`", $zh, s),
                        format!("unknown {} `{}`", $what, s),
                    )
                })
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match serde_json::to_value(self) {
                    Ok(serde_json::Value::String(s)) => f.write_str(&s),
                    _ => Err(std::fmt::Error),
                }
            }
        }
    };
}
pub(crate) use snake_case_text;
snake_case_text!(OrgForm, "organization form", "组织形式");
snake_case_text!(Sector, "sector", "领域");
snake_case_text!(ProgramArea, "program area", "评价领域");
snake_case_text!(Standing, "standing", "等次");

/// The six areas of 一带五区.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgramArea {
    /// 基层党建综合示范带: the demonstration belt.
    DemonstrationBelt,
    /// 抓党建促乡村振兴示范区: rural revitalization.
    RuralRevitalization,
    /// 党建引领基层治理示范区: grassroots governance.
    GrassrootsGovernance,
    /// 党建引领民族团结进步示范区: ethnic unity and progress.
    EthnicUnity,
    /// 党建引领园区高质量发展示范区: industrial parks.
    IndustrialPark,
    /// 党建引领易地搬迁后续发展示范区: relocation follow-up.
    RelocationFollowUp,
}

impl ProgramArea {
    /// The six areas in the program's order.
    pub const ALL: [ProgramArea; 6] = [
        ProgramArea::DemonstrationBelt,
        ProgramArea::RuralRevitalization,
        ProgramArea::GrassrootsGovernance,
        ProgramArea::EthnicUnity,
        ProgramArea::IndustrialPark,
        ProgramArea::RelocationFollowUp,
    ];

    /// The area's Chinese name, as the program writes it.
    pub fn name_zh(self) -> &'static str {
        match self {
            ProgramArea::DemonstrationBelt => "基层党建综合示范带",
            ProgramArea::RuralRevitalization => "抓党建促乡村振兴示范区",
            ProgramArea::GrassrootsGovernance => "党建引领基层治理示范区",
            ProgramArea::EthnicUnity => "党建引领民族团结进步示范区",
            ProgramArea::IndustrialPark => "党建引领园区高质量发展示范区",
            ProgramArea::RelocationFollowUp => "党建引领易地搬迁后续发展示范区",
        }
    }

    /// The area's name in `lang`.
    pub fn name(self, lang: crate::Language) -> &'static str {
        let en = match self {
            ProgramArea::DemonstrationBelt => "comprehensive Party-building demonstration belt",
            ProgramArea::RuralRevitalization => "rural revitalization demonstration zone",
            ProgramArea::GrassrootsGovernance => "grassroots governance demonstration zone",
            ProgramArea::EthnicUnity => "ethnic unity and progress demonstration zone",
            ProgramArea::IndustrialPark => "industrial park development demonstration zone",
            ProgramArea::RelocationFollowUp => "relocation follow-up demonstration zone",
        };
        lang.pick(self.name_zh(), en)
    }
}

/// A grassroots Party organization, the unit being evaluated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// The organization's id, unique in a year's list.
    pub org_id: String,
    /// Its name, as on the public notice.
    pub name: String,
    /// Committee, general branch, branch or group.
    pub form: OrgForm,
    /// The field it works in.
    pub sector: Sector,
    /// County-level division, by its Chinese name (楚雄市, 双柏县, …).
    pub county: String,
    /// Township (乡镇/街道), by its Chinese name.
    pub township: String,
    /// The org_id of the organization above it, if listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A year, or a quarter or month of it. Written `2023`, `2023-Q2` or `2023-05`; years run from
/// 1900 to 9999. The fields are private so every `Period` is one of those.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    part: PeriodPart,
}

/// The part of a year a `Period` covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodPart {
    /// The whole year.
    Year,
    /// A quarter, 1 to 4.
    Quarter(u8),
    /// A month, 1 to 12.
    Month(u8),
}

/// The years a period (and a date the library reasons about) may fall in.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

impl Period {
    /// A period, checked: a year of 1900 to 9999, a quarter 1 to 4, a month 1 to 12.
    pub fn new(year: i32, part: PeriodPart) -> Result<Period, Text> {
        let ok = YEARS.contains(&year)
            && match part {
                PeriodPart::Year => true,
                PeriodPart::Quarter(q) => (1..=4).contains(&q),
                PeriodPart::Month(m) => (1..=12).contains(&m),
            };
        if ok {
            Ok(Period { year, part })
        } else {
            Err(text!("{year}年没有期间{part:?}", "no period {part:?} of year {year}"))
        }
    }

    /// A whole year, 1900 to 9999.
    pub fn year(year: i32) -> Result<Period, Text> {
        if YEARS.contains(&year) {
            Ok(Period { year, part: PeriodPart::Year })
        } else {
            let (from, to) = (YEARS.start(), YEARS.end());
            Err(text!("年份{year}不在{from}至{to}之间", "year {year} is outside {from}..={to}"))
        }
    }

    /// The period as a number below 2¹⁹ that orders as periods do (year, then its part).
    pub(crate) fn order(self) -> u32 {
        let part = match self.part {
            PeriodPart::Year => 0,
            PeriodPart::Quarter(q) => u32::from(q),
            PeriodPart::Month(m) => 4 + u32::from(m),
        };
        (self.year as u32) << 5 | part
    }

    /// The calendar year the period falls in.
    pub fn year_number(self) -> i32 {
        self.year
    }

    /// Which part of the year: the whole of it, a quarter or a month.
    pub fn part(self) -> PeriodPart {
        self.part
    }

    /// First and last calendar day of the period.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let (m0, m1) = match self.part {
            PeriodPart::Year => (1, 12),
            PeriodPart::Quarter(q) => (3 * u32::from(q) - 2, 3 * u32::from(q)),
            PeriodPart::Month(m) => (u32::from(m), u32::from(m)),
        };
        let first = NaiveDate::from_ymd_opt(self.year, m0, 1).expect("a checked period's months are 1..=12");
        let next = if m1 == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, m1 + 1, 1)
        };
        let last = next.and_then(|d| d.pred_opt()).expect("a checked period's year is within chrono's range");
        (first, last)
    }

    /// Whether a date falls within the period.
    pub fn contains(self, d: NaiveDate) -> bool {
        let (a, b) = self.days();
        a <= d && d <= b
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            PeriodPart::Year => write!(f, "{}", self.year),
            PeriodPart::Quarter(q) => write!(f, "{}-Q{}", self.year, q),
            PeriodPart::Month(m) => write!(f, "{}-{:02}", self.year, m),
        }
    }
}

/// `n` ASCII digits exactly, as a number (no sign, no spaces).
fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

impl FromStr for Period {
    type Err = Text;
    /// Exactly `YYYY`, `YYYY-Qn` or `YYYY-MM`.
    fn from_str(s: &str) -> Result<Period, Text> {
        let bad = || {
            text!(
                "期间`{s}`应写作YYYY、YYYY-Qn或YYYY-MM（年份1900至9999）",
                "period `{s}` is not YYYY, YYYY-Qn or YYYY-MM (a year from 1900 to 9999)"
            )
        };
        let (y, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        let year = digits(y, 4).ok_or_else(bad)? as i32;
        let part = match rest {
            None => PeriodPart::Year,
            Some(r) => match r.strip_prefix('Q') {
                Some(q) => PeriodPart::Quarter(digits(q, 1).ok_or_else(bad)? as u8),
                None => PeriodPart::Month(digits(r, 2).ok_or_else(bad)? as u8),
            },
        };
        Period::new(year, part).map_err(|_| bad())
    }
}

/// A calendar day written exactly `YYYY-MM-DD`, in the years 1900 to 9999.
pub fn parse_date(s: &str) -> Result<NaiveDate, Text> {
    let bad = || text!("`{s}`不是YYYY-MM-DD格式的日期", "`{s}` is not a date YYYY-MM-DD");
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    if parts.next().is_some() {
        return Err(bad());
    }
    let y = y.and_then(|y| digits(y, 4)).ok_or_else(bad)? as i32;
    let m = m.and_then(|m| digits(m, 2)).ok_or_else(bad)?;
    let d = d.and_then(|d| digits(d, 2)).ok_or_else(bad)?;
    if !YEARS.contains(&y) {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)
}

/// Serde for a date written exactly `YYYY-MM-DD` (chrono's own parser also takes `+2023-3-1`
/// and ` 2023-03-01`): `#[serde(with = "exemplar::data::model::date")]` on every date read from input.
pub mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes a date as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    /// Reads a date written `YYYY-MM-DD`, and nothing else.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        super::parse_date(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }

    /// The same for an optional date (absent or null is `None`).
    pub mod option {
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes an optional date as `YYYY-MM-DD` or null.
        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.collect_str(d),
                None => s.serialize_none(),
            }
        }

        /// Reads an optional date written `YYYY-MM-DD`, or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|t| super::super::parse_date(&t).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Year(i32),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Year(y) => Period::from_str(&y.to_string()),
            Raw::Text(t) => Period::from_str(&t),
        }
        .map_err(serde::de::Error::custom)
    }
}

/// A star rating, 1★ to 5★.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stars(u8);

impl Stars {
    /// Stars from 1 to 5; `None` otherwise.
    #[inline]
    pub fn new(n: u8) -> Option<Stars> {
        (1..=5).contains(&n).then_some(Stars(n))
    }
    /// The number of stars, 1 to 5.
    #[inline]
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Stars {
    type Error = Text;
    fn try_from(n: u8) -> Result<Stars, Text> {
        Stars::new(n).ok_or_else(|| text!("星级应在1至5之间，而非{n}", "stars must be 1 to 5, not {n}"))
    }
}

impl From<Stars> for u8 {
    fn from(s: Stars) -> u8 {
        s.0
    }
}

impl fmt::Display for Stars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}★", self.0)
    }
}

/// The yearly classification 先进 / 较好 / 一般 / 后进.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// 先进: advanced.
    Advanced,
    /// 较好: good.
    Good,
    /// 一般: average.
    Average,
    /// 后进: lagging.
    Lagging,
}

impl Standing {
    /// Every standing, best first.
    pub const ALL: [Standing; 4] = [Standing::Advanced, Standing::Good, Standing::Average, Standing::Lagging];

    /// The standing's Chinese name (先进, 较好, 一般, 后进).
    pub fn name_zh(self) -> &'static str {
        match self {
            Standing::Advanced => "先进",
            Standing::Good => "较好",
            Standing::Average => "一般",
            Standing::Lagging => "后进",
        }
    }

    /// The standing's name in `lang` (先进 / advanced …).
    pub fn name(self, lang: crate::Language) -> &'static str {
        let en = match self {
            Standing::Advanced => "advanced",
            Standing::Good => "good",
            Standing::Average => "average",
            Standing::Lagging => "lagging",
        };
        lang.pick(self.name_zh(), en)
    }

    /// Stable number used in columnar output: 1 advanced … 4 lagging (0 means none).
    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    /// The standing of a code written by `code` (1 = advanced … 4 = lagging); `None` otherwise.
    pub fn from_code(c: u8) -> Option<Standing> {
        Standing::ALL.get(usize::from(c).checked_sub(1)?).copied()
    }
}

/// Something that happened to an organization during the period: an incident, a violation, a
/// referral. Kinds are declared in the program file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The event's id, as the program declares it.
    pub kind: String,
    /// When it happened, if known; it must fall within the report's period.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::data::model::date::option")]
    pub date: Option<NaiveDate>,
    /// A free-text note kept with the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Event {
    /// Events written as text, as in the flat CSV: `kind` or `kind@YYYY-MM-DD`, separated by `;`.
    pub fn parse_list(text: &str) -> Result<Vec<Event>, Text> {
        text.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|e| {
                let (kind, date) = match e.split_once('@') {
                    Some((k, d)) => (k, Some(parse_date(d)?)),
                    None => (e, None),
                };
                Ok(Event { kind: kind.to_string(), date, note: None })
            })
            .collect()
    }

    /// Events as the flat CSV writes them (what `parse_list` reads).
    pub fn list_text(events: &[Event]) -> String {
        let text: Vec<String> = events
            .iter()
            .map(|e| match e.date {
                Some(d) => format!("{}@{d}", e.kind),
                None => e.kind.clone(),
            })
            .collect();
        text.join(";")
    }
}

/// What one organization reports for one scheme (an area, or a merged department scheme) in one
/// period: indicator values, per-assessor values where the scheme blends assessors, and events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The organization reporting.
    pub org_id: String,
    /// The scheme it is scored under.
    #[serde(alias = "area")]
    pub scheme: String,
    /// The period the report covers.
    pub period: Period,
    /// Indicator id → value, as the single assessor reports it.
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
    /// For schemes with blended assessors: assessor role → that assessor's values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub assessments: BTreeMap<String, BTreeMap<String, f64>>,
    /// Events recorded in the period (each counts once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
}

impl Report {
    /// An empty report: no values, no events.
    pub fn new(org_id: &str, scheme: &str, period: Period) -> Report {
        Report {
            org_id: org_id.to_string(),
            scheme: scheme.to_string(),
            period,
            values: BTreeMap::new(),
            assessments: BTreeMap::new(),
            events: Vec::new(),
        }
    }

    /// The report with one more indicator value.
    pub fn with(mut self, indicator: &str, value: f64) -> Report {
        self.values.insert(indicator.to_string(), value);
        self
    }

    /// The report with one more undated event.
    pub fn with_event(mut self, kind: &str) -> Report {
        self.events.push(Event { kind: kind.to_string(), date: None, note: None });
        self
    }

    /// How many events of this kind the report records.
    pub fn event_count(&self, kind: &str) -> usize {
        self.events.iter().filter(|e| e.kind == kind).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_print() {
        for s in ["2023", "2023-Q2", "2023-05"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        for bad in [
            "2023-Q5",
            "2023-13",
            "23",
            "2023-5",
            "x",
            "2023.0.0.0",
            "+2023",
            "0",
            "0000",
            "1899",
            "2023-Q",
            "２０２３",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
        // 2024 is a leap year: February has 29 days.
        let feb = "2024-02".parse::<Period>().unwrap().days();
        assert_eq!(feb.1, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(parse_date("2024-02-29"), Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()));
        for bad in ["2023-02-29", "2023-03-01T99:99", "+2023-03-01", "2023-3-1", "0000-01-01", " 2023-03-01"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        let q4 = "2023-Q4".parse::<Period>().unwrap().days();
        assert_eq!(q4.0, NaiveDate::from_ymd_opt(2023, 10, 1).unwrap());
        assert_eq!(q4.1, NaiveDate::from_ymd_opt(2023, 12, 31).unwrap());
    }

    #[test]
    fn period_numbers_order_as_periods_do() {
        let mut periods: Vec<Period> = [1900, 2023, 2024, 9999]
            .into_iter()
            .flat_map(|y| {
                let parts = [PeriodPart::Year].into_iter();
                let parts = parts.chain((1..=4).map(PeriodPart::Quarter)).chain((1..=12).map(PeriodPart::Month));
                parts.map(move |p| Period::new(y, p).unwrap())
            })
            .collect();
        periods.reverse();
        let mut by_number = periods.clone();
        periods.sort();
        by_number.sort_by_key(|p| p.order());
        assert_eq!(by_number, periods);
        assert!(periods.iter().all(|p| p.order() < 1 << 19));
    }

    #[test]
    fn enums_round_trip_as_snake_case() {
        assert_eq!("relocation_community".parse::<Sector>().unwrap(), Sector::RelocationCommunity);
        assert_eq!(Sector::PrivateEnterprise.to_string(), "private_enterprise");
        assert!("township_x".parse::<Sector>().is_err());
        assert_eq!(Standing::from_code(Standing::Lagging.code()), Some(Standing::Lagging));
        assert_eq!(Standing::from_code(0), None);
    }
}
