//! A deterministic generator of plausible Chuxiong years: the ten county-level divisions, 1,106
//! villages and communities plus parks, chains, enterprises, relocation communities and compounds.
//! Values follow each scheme's own criteria, so the generator serves any program file.

use crate::data::model::{Event, OrgForm, Organization, Period, ProgramArea, Report, Sector};
use crate::data::year::Year;
use crate::data::year_columns::{OrgRef, Organizations, OrgsIn, SchemeRows, YearColumns};
use crate::rules::policy::Every;
use crate::rules::program::Program;
use crate::rules::rubric::{Bound, Counted, Deduction, Direction, Fires, IndicatorKind, Reads, Rule, Scheme};
use crate::scoring::points::Points;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Chuxiong's ten county-level divisions.
pub const COUNTIES: [&str; 10] =
    ["楚雄市", "双柏县", "牟定县", "南华县", "姚安县", "大姚县", "永仁县", "元谋县", "武定县", "禄丰市"];

/// The sample year's make-up: sector, form, how many, and the name's ending.
const MAKE_UP: [(Sector, OrgForm, usize, &str); 9] = [
    (Sector::Township, OrgForm::Committee, 100, "党委"),
    (Sector::Village, OrgForm::GeneralBranch, 960, "村党总支"),
    (Sector::Community, OrgForm::GeneralBranch, 146, "社区党总支"),
    (Sector::Grid, OrgForm::Branch, 80, "小区党支部"),
    (Sector::Park, OrgForm::Committee, 10, "园区党工委"),
    (Sector::IndustrialChain, OrgForm::Committee, 12, "产业链党委"),
    (Sector::PrivateEnterprise, OrgForm::Branch, 120, "公司党支部"),
    (Sector::SocialOrg, OrgForm::Branch, 30, "协会党支部"),
    (Sector::RelocationCommunity, OrgForm::GeneralBranch, 30, "安置社区党总支"),
];

/// Organizations in the standard sample year.
pub const STANDARD_SIZE: usize = 1488;

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Roughly normal, mean 0, standard deviation 1 (Irwin–Hall of 4).
    pub fn normal(&mut self) -> f64 {
        ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 3f64.sqrt()
    }
    /// A number from 0 to `n` − 1 (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
}

/// How good an organization is, 0 to 1; a few are weak.
fn quality(rng: &mut Rng) -> f64 {
    if rng.unit() < 0.04 { 0.05 + 0.25 * rng.unit() } else { (0.7 + 0.15 * rng.normal()).clamp(0.0, 1.0) }
}

/// One input column of a scheme, as the generator needs it.
struct Column<'p> {
    /// The indicator or event id.
    id: &'p str,
    /// The assessor, for a blended scheme's `role.indicator` column.
    role: Option<&'p str>,
    /// The indicator's index in the program, for a single assessor's value: an organization's
    /// fact, the same under each of its schemes.
    fact: Option<usize>,
    event: bool,
    kind: IndicatorKind,
    min: Option<f64>,
    max: Option<f64>,
}

/// A criterion: full marks, rule, whether its steps run up, and its input columns on each sheet.
struct Line<'p> {
    max: f64,
    rule: &'p Rule,
    higher: bool,
    inputs: Vec<[usize; 2]>,
}

/// What the generator reads of one scheme: the rule file's criteria and weak-and-lax situations,
/// laid over the scheme's input columns (`Plan::column_names`) — nothing of the compiled plan.
struct Layout<'p> {
    columns: Vec<Column<'p>>,
    criteria: Vec<Line<'p>>,
    weak_lax: Vec<(usize, Bound)>,
    sheets: usize,
}

impl<'p> Layout<'p> {
    fn of(program: &'p Program, scheme: &'p Scheme) -> crate::Result<Layout<'p>> {
        let file = program.file();
        let names = program.plan(&scheme.id)?.column_names();
        let at: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let columns = names
            .iter()
            .map(|name| {
                let (role, id) = name.split_once('.').map_or((None, *name), |(r, i)| (Some(r), i));
                match program.indicator(id) {
                    Some(d) => {
                        let fact = role.is_none().then(|| file.indicators.iter().position(|i| i.id == d.id)).flatten();
                        Column { id: &d.id, role, fact, event: false, kind: d.kind, min: d.min, max: d.max }
                    }
                    None => {
                        let id = file.events.iter().find(|e| e.id == id).map_or("", |e| e.id.as_str());
                        Column { id, role, fact: None, event: true, kind: IndicatorKind::Count, min: None, max: None }
                    }
                }
            })
            .collect();
        let id = &scheme.id;
        let missing = |name: &str| {
            crate::Error::Argument(crate::rules::language::text!(
                "方案`{id}`没有`{name}`列",
                "scheme `{id}` has no column `{name}`"
            ))
        };
        let col = |role: Option<&str>, id: &str| -> crate::Result<usize> {
            let name = role.map_or_else(|| id.to_string(), |r| format!("{r}.{id}"));
            at.get(name.as_str()).copied().ok_or_else(|| missing(&name))
        };
        let roles: Vec<Option<&str>> = if scheme.assessors.is_empty() {
            vec![None]
        } else {
            scheme.assessors.iter().map(|a| Some(a.role.as_str())).collect()
        };
        let common = scheme.common.iter().filter_map(|id| file.common_sections.iter().find(|c| &c.id == id));
        let mut criteria = Vec::new();
        for c in common.chain(&scheme.sections).flat_map(|s| &s.criteria) {
            let inputs = roles
                .iter()
                .map(|&role| {
                    Ok(match c.rule.reads() {
                        Reads::Indicator(indicator) => [col(role, indicator)?; 2],
                        Reads::Event(e) => [col(None, e)?; 2],
                        Reads::Ratio(numerator, denominator) => [col(role, numerator)?, col(role, denominator)?],
                    })
                })
                .collect::<crate::Result<Vec<_>>>()?;
            // Step tables run up or down with their indicator's direction.
            let higher = match &c.rule {
                Rule::Steps { indicator, .. } => {
                    program.indicator(indicator).is_none_or(|d| d.direction == Direction::HigherBetter)
                }
                _ => true,
            };
            criteria.push(Line { max: Points::from_f64(c.points).as_f64(), rule: &c.rule, higher, inputs });
        }
        let mut weak_lax = Vec::new();
        for t in file.weak_lax.iter().filter(|t| t.schemes.is_empty() || t.schemes.contains(&scheme.id)) {
            if let Fires::Indicator { indicator, bound } = &t.on {
                weak_lax.push((col(None, indicator)?, *bound));
            }
        }
        Ok(Layout { columns, criteria, weak_lax, sheets: roles.len() })
    }
}

/// Fills the NaN cells of one row for an organization of quality `q`.
fn fill_row(layout: &Layout<'_>, rng: &mut Rng, q: f64, x: &mut [f64]) {
    for c in &layout.criteria {
        for (sheet, &[a, b]) in c.inputs.iter().enumerate() {
            if !x[a].is_nan() {
                continue;
            }
            // Self-assessment runs a little above the superior's view.
            let q = if sheet + 1 < layout.sheets { (q + 0.05).min(1.0) } else { q };
            let spread = q + 0.15 * rng.normal();
            let v = match c.rule {
                Rule::Linear { floor, target, .. } => floor + (target - floor) * spread * 1.05,
                Rule::Ratio { scale, floor, target, .. } => {
                    let den = (50 + rng.below(1500)) as f64;
                    x[b] = den;
                    let r = (floor + (target - floor) * spread * 1.05).clamp(0.0, *scale) / scale;
                    (den * r).round()
                }
                Rule::Steps { steps, .. } => {
                    let top = steps.iter().filter_map(|s| s.at_least.or(s.at_most)).fold(0.0, f64::max).max(1.0);
                    if c.higher { top * 1.3 * spread } else { top * 1.5 * (1.0 - spread) }
                }
                Rule::YesNo { .. } => f64::from(rng.unit() > 0.25 * (1.0 - q).powi(3)),
                Rule::Deduction(Deduction { counts: Counted::Shortfall { required: r, .. }, .. }) => {
                    r - ((1.0 - spread) * r * 0.3).max(0.0)
                }
                Rule::Deduction(_) => ((1.0 - spread) * 4.0).max(0.0),
                Rule::Bonus { per, .. } => c.max / per * 1.3 * spread,
            };
            x[a] = v;
        }
    }
    // Weak-and-lax situations: rare, and rarer in good organizations.
    for &(slot, bound) in &layout.weak_lax {
        if !x[slot].is_nan() {
            continue;
        }
        let fire = rng.unit() < 0.002 + 0.15 * (1.0 - q).powi(4);
        x[slot] = match (bound, fire) {
            (Bound::AtLeast(b), true) | (Bound::AtMost(b), true) => b,
            (Bound::AtLeast(b), false) | (Bound::Below(b), false) => b - 1.0,
            (Bound::AtMost(b), false) | (Bound::Above(b), false) => b + 1.0,
            (Bound::Below(b), true) => b - 1.0,
            (Bound::Above(b), true) => b + 1.0,
        }
        .max(0.0);
    }
    for (v, col) in x.iter_mut().zip(&layout.columns) {
        if col.event {
            // Rare, and rarer in good organizations.
            *v = f64::from(rng.unit() < 0.003 * (1.6 - q));
        } else if v.is_nan() {
            *v = f64::from(rng.unit() < q * q);
        }
        *v = fit(col.kind, col.min, col.max, *v);
    }
}

/// Brings a generated value into its indicator's kind and bounds.
fn fit(kind: IndicatorKind, min: Option<f64>, max: Option<f64>, v: f64) -> f64 {
    let v = match kind {
        IndicatorKind::Count => v.round().max(0.0),
        IndicatorKind::Percent => ((v * 10.0).round() / 10.0).clamp(0.0, 100.0),
        IndicatorKind::YesNo => f64::from(v >= 0.5),
        IndicatorKind::Amount => (v * 100.0).round() / 100.0,
    };
    // `+ 0.0` turns a negative zero (which `max(0.0)` may keep) into zero: no `-0` in written data.
    v.clamp(min.unwrap_or(f64::MIN), max.unwrap_or(f64::MAX)) + 0.0
}

/// The organizations of a sample year of `n` organizations (the standard make-up scaled), sorted
/// by id.
pub fn organizations(n: usize, rng: &mut Rng) -> Organizations {
    use std::fmt::Write;
    let mut counts: Vec<usize> = MAKE_UP.iter().map(|m| m.2 * n / STANDARD_SIZE).collect();
    counts[1] += n - counts.iter().sum::<usize>();
    let townships_per_county = (counts[0] / COUNTIES.len()).max(1);
    let mut orgs = OrgsIn::default();
    let (mut town, mut id, mut parent, mut name) = (String::new(), String::new(), String::new(), String::new());
    for (k, &(sector, form, _, ending)) in MAKE_UP.iter().enumerate() {
        let code = format!("{:?}", sector).chars().filter(|c| c.is_ascii_uppercase()).collect::<String>();
        for i in 0..counts[k] {
            let (county, township) = if sector == Sector::Township {
                (i % COUNTIES.len(), i / COUNTIES.len())
            } else {
                (rng.below(COUNTIES.len()), rng.below(townships_per_county))
            };
            // Writing to a String cannot fail.
            let _ = (town.clear(), id.clear(), parent.clear(), name.clear());
            let _ = write!(town, "{}第{}乡镇", COUNTIES[county], township + 1);
            let _ = write!(id, "CX{:02}-{code}{:06}", county + 1, i + 1);
            if sector != Sector::Township && counts[0] > 0 {
                let _ = write!(parent, "CX{:02}-T{:06}", county + 1, township * COUNTIES.len() + county + 1);
            }
            let _ = match sector {
                Sector::Township => write!(name, "{town}{ending}"),
                _ => write!(name, "{town}{}号{ending}", i + 1),
            };
            orgs.push(OrgRef {
                id: &id,
                name: &name,
                form,
                sector,
                county: COUNTIES[county],
                township: &town,
                parent: &parent,
            });
        }
    }
    orgs.sorted().0
}

/// A sample year: `n` organizations (None: the standard 1,488), a report per applicable scheme.
/// Years with the same seed share their organizations; their values differ.
pub fn sample_year(program: &Program, n: Option<usize>, seed: u64, year: i32) -> crate::Result<Year> {
    let mut reports = Vec::new();
    let organizations = walk(program, n, seed, year, |orgs, i, p, layout, x, events| {
        let mut r = Report::new(orgs.id(i), &program.schemes()[p].id, events.period);
        r.events = events.list.clone();
        for (c, &v) in layout.columns.iter().zip(x) {
            match (c.event, c.role) {
                (true, _) => {}
                (false, None) => {
                    r.values.insert(c.id.to_string(), v);
                }
                (false, Some(role)) => {
                    r.assessments.entry(role.to_string()).or_default().insert(c.id.to_string(), v);
                }
            }
        }
        reports.push(r);
    })?;
    Ok(Year { organizations: (0..organizations.len()).map(|i| organizations.get(i)).collect(), reports })
}

/// The same sample year as `sample_year`, laid out as columns straight away (no object per
/// report): millions of organizations in seconds.
pub fn sample_year_columns(program: &Program, n: Option<usize>, seed: u64, year: i32) -> crate::Result<YearColumns> {
    let plans = program.plans();
    let mut cols: Vec<Vec<Vec<f64>>> = plans.iter().map(|p| vec![Vec::new(); p.slots().len()]).collect();
    let mut rows: Vec<(Vec<u32>, Vec<Period>)> = vec![Default::default(); plans.len()];
    let mut events = Vec::new();
    let organizations = walk(program, n, seed, year, |_, i, p, _, x, drawn| {
        rows[p].0.push(i as u32);
        rows[p].1.push(drawn.period);
        for (c, &v) in cols[p].iter_mut().zip(x) {
            c.push(v);
        }
        for e in &drawn.list {
            if let Some(k) = program.file().events.iter().position(|d| d.id == e.kind) {
                events.push((i as u32, k as u32));
            }
        }
    })?;
    events.sort_unstable();
    events.dedup();
    let schemes = rows.into_iter().zip(cols).map(|((org, period), x)| SchemeRows::new(org, period, x)).collect();
    Ok(YearColumns::new(program, organizations, schemes, events))
}

/// One report of a sample year as a row of the flat year, as `Year::to_csv` writes it.
pub struct FlatRow<'a> {
    /// The year's organizations.
    pub organizations: &'a Organizations,
    /// The reporting organization's index among them.
    pub org: usize,
    /// The scheme.
    pub scheme: &'a str,
    /// The period.
    pub period: Period,
    /// The events recorded.
    pub events: &'a [Event],
    /// Each value given, with its column's index in `year::value_columns`.
    pub values: &'a [(usize, f64)],
}

/// The same sample year as `sample_year`, one flat row at a time (for building a table without
/// an object per report).
pub fn sample_year_flat(
    program: &Program,
    n: Option<usize>,
    seed: u64,
    year: i32,
    mut row: impl FnMut(FlatRow<'_>),
) -> crate::Result<()> {
    let columns = crate::data::year::value_columns(program);
    // Each plan's slot → its value column (None for an event, which the `events` text holds).
    let at: Vec<Vec<Option<usize>>> = program
        .plans()
        .iter()
        .map(|p| {
            p.slots()
                .iter()
                .map(|s| (!s.is_event()).then(|| columns.iter().position(|c| *c == s.name)).flatten())
                .collect()
        })
        .collect();
    let mut values = Vec::new();
    walk(program, n, seed, year, |orgs, i, p, _, x, drawn| {
        values.clear();
        values.extend(at[p].iter().zip(x).filter_map(|(c, &v)| Some((((*c)?), v))));
        row(FlatRow {
            organizations: orgs,
            org: i,
            scheme: &program.schemes()[p].id,
            period: drawn.period,
            events: &drawn.list,
            values: &values,
        });
    })?;
    Ok(())
}

/// The events a sample report records, and its period.
struct Drawn {
    period: Period,
    list: Vec<Event>,
}

/// Generates a sample year: the organizations (returned, sorted by id), and for each one's
/// report under each scheme that applies, in order, `report(organizations, organization index,
/// scheme index, layout, row in slot order, events)`.
fn walk(
    program: &Program,
    n: Option<usize>,
    seed: u64,
    year: i32,
    mut report: impl FnMut(&Organizations, usize, usize, &Layout<'_>, &[f64], &Drawn),
) -> crate::Result<Organizations> {
    let period = Period::year(year).map_err(|m| {
        crate::Error::Argument(crate::rules::language::Text::new(
            format!("样例年度：{}", m.zh),
            format!("sample year: {}", m.en),
        ))
    })?;
    // The organizations and how good each is follow the seed alone, so the same seed gives the
    // same organizations every year; the year's values vary around that quality.
    let mut org_rng = Rng::new(seed);
    let organizations = organizations(n.unwrap_or(STANDARD_SIZE), &mut org_rng);
    let base: Vec<f64> = (0..organizations.len()).map(|_| quality(&mut org_rng)).collect();
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(year as u64));
    let layouts = program.schemes().iter().map(|s| Layout::of(program, s)).collect::<crate::Result<Vec<_>>>()?;
    let mut drawn = Drawn { period, list: Vec::new() };
    let mut known = vec![f64::NAN; program.file().indicators.len()];
    for (i, q0) in base.into_iter().enumerate() {
        let (sector, form) = (organizations.sector(i), organizations.form(i));
        let q = (q0 + 0.06 * rng.normal()).clamp(0.0, 1.0);
        // An organization's facts (secretary in post, …) are the same under every scheme.
        known.fill(f64::NAN);
        for (p, scheme) in program.schemes().iter().enumerate() {
            if !scheme.applies_to.covers(sector, form) {
                continue;
            }
            let layout = &layouts[p];
            let mut x: Vec<f64> = layout.columns.iter().map(|c| c.fact.map_or(f64::NAN, |f| known[f])).collect();
            fill_row(layout, &mut rng, q, &mut x);
            drawn.list.clear();
            for (c, &v) in layout.columns.iter().zip(&x) {
                if c.event {
                    for _ in 0..v as usize {
                        let day = NaiveDate::from_yo_opt(year, 1 + rng.below(360) as u32);
                        drawn.list.push(Event { kind: c.id.to_string(), date: day, note: None });
                    }
                } else if let Some(f) = c.fact {
                    known[f] = v;
                }
            }
            report(&organizations, i, p, layout, &x, &drawn);
        }
    }
    Ok(organizations)
}

/// `n` generated rows for one scheme, straight into its columns (`Plan::column_names` order), for
/// benchmarks at millions of rows.
pub fn columns(program: &Program, scheme: &str, n: usize, seed: u64) -> crate::Result<Vec<Vec<f64>>> {
    let s = program.scheme(scheme).ok_or_else(|| crate::Error::UnknownScheme {
        scheme: scheme.to_string(),
        known: program.schemes().iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", "),
    })?;
    let layout = Layout::of(program, s)?;
    let mut rng = Rng::new(seed);
    let mut cols = vec![Vec::with_capacity(n); layout.columns.len()];
    let mut x = vec![0.0; layout.columns.len()];
    for _ in 0..n {
        let q = quality(&mut rng);
        x.fill(f64::NAN);
        fill_row(&layout, &mut rng, q, &mut x);
        for (c, v) in cols.iter_mut().zip(&x) {
            c.push(*v);
        }
    }
    Ok(cols)
}

/// A year's oversight for a sample year: each industrial chain's working group (the chain and up
/// to four enterprises of its county) on monthly dispatch and quarterly inspection, each county's
/// township committees on half-year review and year-end assessment, six cadres per county with
/// three contact points each, and records that mostly, not always, keep the rhythm.
pub fn oversight(
    program: &Program,
    year: &Year,
    cal: &crate::oversight::calendar::Calendar,
    seed: u64,
) -> crate::oversight::status::Oversight {
    use crate::oversight::schedule::{task_due, windows};
    use crate::oversight::status::{Group, GroupKind, Link, Oversight, Record, RecordKind};
    let mut rng = Rng::new(seed ^ 0x0f0f);
    let period = year.reports.first().map_or_else(|| Period::year(2023).expect("2023 is a year"), |r| r.period);
    let (first, last) = period.days();
    let of = |s: Sector| year.organizations.iter().filter(move |o| o.sector == s);
    // The program's cadences by how often they fall due, and the scheme of each area.
    let policy = program.file().oversight.clone().unwrap_or_default();
    let cadences = |every: &[Every]| -> Vec<String> {
        policy.cadences.iter().filter(|c| every.contains(&c.every)).map(|c| c.id.clone()).collect()
    };
    let scheme_of = |area: ProgramArea| program.schemes().iter().find(|s| s.area == Some(area)).map(|s| s.id.clone());
    let mut groups = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for chain in of(Sector::IndustrialChain) {
        let mut members = vec![chain.org_id.clone()];
        let firms: Vec<String> = of(Sector::PrivateEnterprise)
            .filter(|o| o.county == chain.county && !taken.contains(&o.org_id))
            .take(4)
            .map(|o| o.org_id.clone())
            .collect();
        taken.extend(firms.iter().cloned());
        members.extend(firms);
        groups.push(Group {
            id: format!("chain-{}", chain.org_id),
            name_zh: format!("{}工作小组", chain.name),
            kind: GroupKind::Chain,
            county: Some(chain.county.clone()),
            area: scheme_of(ProgramArea::IndustrialPark),
            members,
            cadences: cadences(&[Every::Month, Every::Quarter]),
        });
    }
    for (k, county) in COUNTIES.iter().enumerate() {
        let members: Vec<String> =
            of(Sector::Township).filter(|o| o.county == *county).map(|o| o.org_id.clone()).collect();
        if !members.is_empty() {
            groups.push(Group {
                id: format!("county-{:02}", k + 1),
                name_zh: format!("{county}基层党建工作领导小组"),
                kind: GroupKind::County,
                county: Some(county.to_string()),
                area: scheme_of(ProgramArea::DemonstrationBelt),
                members,
                cadences: cadences(&[Every::HalfYear, Every::Year]),
            });
        }
    }
    let mut links = Vec::new();
    for county in COUNTIES {
        let pool: Vec<&Organization> = year
            .organizations
            .iter()
            .filter(|o| o.county == county && matches!(o.sector, Sector::Village | Sector::Community))
            .collect();
        for k in 0..6 {
            for _ in 0..3 {
                if pool.is_empty() {
                    break;
                }
                let link = Link {
                    cadre: format!("{county}领导{}", k + 1),
                    org_id: pool[rng.below(pool.len())].org_id.clone(),
                };
                if !links.contains(&link) {
                    links.push(link);
                }
            }
        }
    }
    // A day in [a, b], moved to the next working day where that stays in range.
    let day_in = |rng: &mut Rng, a: NaiveDate, b: NaiveDate| {
        let span = (b - a).num_days().max(0) as usize + 1;
        let d = a + chrono::Days::new(rng.below(span) as u64);
        cal.nth_working_day(d, 1).min(b)
    };
    let mut records = Vec::new();
    for g in &groups {
        for c in policy.cadences.iter().filter(|c| g.cadences.contains(&c.id)) {
            for w in windows(period, c.every, c.day, cal) {
                if rng.unit() < 0.9 {
                    // Quarterly cadences are inspections (一季一督查); the others meetings.
                    let inspection = c.every == Every::Quarter;
                    records.push(Record {
                        kind: if inspection { RecordKind::Inspection } else { RecordKind::Meeting },
                        date: day_in(&mut rng, w.start, w.due.min(last)),
                        group: Some(g.id.clone()),
                        cadence: Some(c.id.clone()),
                        org_id: None,
                        cadre: None,
                        task: None,
                        findings: inspection
                            .then(|| ["台账资料不全", "问题已整改", "未发现问题"][rng.below(3)].to_string()),
                    });
                }
            }
        }
    }
    for s in program.schemes() {
        for t in &s.tasks {
            let Some(due) = task_due(period.year_number(), t.due, cal) else { continue };
            for r in year.reports.iter().filter(|r| r.scheme == s.id) {
                if rng.unit() < 0.92 {
                    let date = if rng.unit() < 0.85 {
                        day_in(&mut rng, (due - chrono::Days::new(40)).max(first), due)
                    } else {
                        day_in(&mut rng, due + chrono::Days::new(1), (due + chrono::Days::new(30)).min(last))
                    };
                    records.push(Record {
                        kind: RecordKind::Task,
                        date,
                        group: None,
                        cadence: None,
                        org_id: Some(r.org_id.clone()),
                        cadre: None,
                        task: Some(t.id.clone()),
                        findings: None,
                    });
                }
            }
        }
    }
    if let Some(v) = &policy.visits {
        for l in &links {
            let mut dates = std::collections::BTreeSet::new();
            for w in windows(period, v.every, None, cal) {
                let times = if rng.unit() < 0.88 { 1 + usize::from(rng.unit() < 0.3) } else { 0 };
                for _ in 0..times {
                    dates.insert(day_in(&mut rng, w.start, w.end));
                }
            }
            for date in dates {
                records.push(Record {
                    kind: RecordKind::Visit,
                    date,
                    group: None,
                    cadence: None,
                    org_id: Some(l.org_id.clone()),
                    cadre: Some(l.cadre.clone()),
                    task: None,
                    findings: None,
                });
            }
        }
    }
    records.sort_by(|a, b| {
        (a.date, a.kind, &a.group, &a.org_id, &a.cadre).cmp(&(b.date, b.kind, &b.group, &b.org_id, &b.cadre))
    });
    Oversight { period, groups, links, records }
}
