//! The column kernels against the row-by-row path that explained evaluation runs: a million
//! seeded random rows over every rule kind, blended assessors, capped sections, vetoes, band
//! conditions, event and direct deductions and missing values, compared cell by cell.

use crate::rules::program::Program;
use crate::rules::rubric::MissingPolicy;
use crate::scoring::bulk::{BulkResult, Strided};
use crate::scoring::kernels::Accepts;
use crate::scoring::plan::Plan;
use crate::scoring::points::Points;
use crate::scoring::table::{Options, Table, TableResult};

/// Every rule kind twice over (blended and not), with awkward numbers for the rounding rule.
const PROGRAM: &str = r#"
[program]
id = "kernels"
name_zh = "核算一致性"
missing = "zero"

[[indicators]]
id = "pct"
name_zh = "百分比"
kind = "percent"

[[indicators]]
id = "cnt"
name_zh = "次数"
kind = "count"

[[indicators]]
id = "yn"
name_zh = "是否"
kind = "yes_no"

[[indicators]]
id = "gaps"
name_zh = "缺项"
kind = "count"
direction = "lower_better"

[[indicators]]
id = "posts"
name_zh = "示范岗"
kind = "count"

[[indicators]]
id = "visits"
name_zh = "督查"
kind = "count"

[[indicators]]
id = "employed"
name_zh = "就业"
kind = "count"

[[indicators]]
id = "able"
name_zh = "劳动力"
kind = "count"

[[indicators]]
id = "petitions"
name_zh = "信访"
kind = "count"
direction = "lower_better"

[[indicators]]
id = "growth"
name_zh = "增速"
kind = "amount"
min = -50
max = 80

[[indicators]]
id = "accidents"
name_zh = "事故"
kind = "count"

[[indicators]]
id = "innovation"
name_zh = "创新"
kind = "yes_no"

[[events]]
id = "complaint"
name_zh = "投诉"

[[events]]
id = "incident"
name_zh = "事件"

[[events]]
id = "referral"
name_zh = "移送"

[bands]
stars = [
  { stars = 5, min_score = 55.5, requires = [{ indicator = "innovation", at_least = 1 }, { indicator = "growth", above = 0 }] },
  { stars = 4, min_score = 48 },
  { stars = 3, min_score = 33.37 },
  { stars = 2, min_score = 15 },
]
standings = [
  { standing = "advanced", min_score = 50.6, requires = [{ indicator = "pct", at_least = 50 }] },
  { standing = "good", min_score = 40 },
  { standing = "average", min_score = 25.33 },
  { standing = "lagging", min_score = 0 },
]
vetoed_stars = 1

[[vetoes]]
id = "incident"
name_zh = "群体性事件"
event = "incident"

[[vetoes]]
id = "accidents"
name_zh = "安全事故"
indicator = "accidents"
at_least = 1

[[weak_lax]]
id = "petitions"
name_zh = "信访突出"
indicator = "petitions"
at_least = 6

[[weak_lax]]
id = "complaints"
name_zh = "被投诉"
event = "complaint"

[[common_sections]]
id = "build"
name_zh = "组织建设"
max = 25
criteria = [
  { id = "pct", name_zh = "百分比", points = 10, rule = { kind = "linear", indicator = "pct", floor = 60, target = 100 } },
  { id = "cnt", name_zh = "次数", points = 8, rule = { kind = "steps", indicator = "cnt", steps = [{ at_least = 3, points = 8 }, { at_least = 1, points = 4.5 }] } },
  { id = "yn", name_zh = "是否", points = 6, rule = { kind = "yes_no", indicator = "yn" } },
  { id = "gaps", name_zh = "缺项扣分", points = 5, rule = { kind = "deduction", indicator = "gaps", per = 1.25 } },
  { id = "posts", name_zh = "示范岗", points = 4, rule = { kind = "bonus", indicator = "posts", per = 1.5 } },
]

[[common_sections]]
id = "results"
name_zh = "成效"
max = 39.77
criteria = [
  { id = "visits", name_zh = "督查", points = 6, rule = { kind = "deduction", indicator = "visits", required = 4, per = 2 } },
  { id = "complaints", name_zh = "投诉", points = 3, rule = { kind = "deduction", event = "complaint", per = 1.5 } },
  { id = "employment", name_zh = "就业率", points = 10, rule = { kind = "ratio", numerator = "employed", denominator = "able", scale = 100, floor = 80, target = 95 } },
  { id = "petitions", name_zh = "信访", points = 8, rule = { kind = "linear", indicator = "petitions", floor = 10, target = 0 } },
  { id = "petition_steps", name_zh = "信访档次", points = 5, rule = { kind = "steps", indicator = "petitions", steps = [{ at_most = 0, points = 5 }, { at_most = 2, points = 3.33 }] } },
  { id = "growth", name_zh = "增速", points = 7.77, rule = { kind = "linear", indicator = "growth", floor = -10, target = 20.33 } },
]

[[schemes]]
id = "blended"
name_zh = "加权"
max_points = 64.77
common = ["build", "results"]
assessors = [{ role = "self", weight = 0.35 }, { role = "superior", weight = 0.65 }]
deductions = [{ id = "referral", name_zh = "移送扣分", event = "referral", points = 10 }]

[[schemes]]
id = "single"
name_zh = "单表"
max_points = 64.77
common = ["build", "results"]
deductions = [{ id = "referral", name_zh = "移送扣分", event = "referral", points = 10 }]
"#;

/// A seeded generator (splitmix64), so the rows are the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<T: Copy>(&mut self, of: &[T]) -> T {
        of[self.below(of.len() as u64) as usize]
    }
}

/// A valid value for each slot: often an edge (a floor, a target, a step, half a hundredth
/// away), sometimes missing, else random with two decimals.
fn cell(plan: &Plan, slot: usize, rng: &mut Rng) -> f64 {
    let s = &plan.slots[slot];
    if rng.below(12) == 0 {
        return f64::NAN;
    }
    let event = s.is_event();
    match s.kind {
        _ if event => rng.pick(&[0.0, 0.0, 0.0, 1.0, 2.0, 3.0]),
        crate::rules::rubric::IndicatorKind::YesNo => rng.pick(&[0.0, 1.0]),
        crate::rules::rubric::IndicatorKind::Percent => match rng.below(4) {
            0 => rng.pick(&[0.0, 60.0, 100.0, 59.99, 60.01, 99.995, 87.5]),
            _ => rng.below(10_001) as f64 / 100.0,
        },
        crate::rules::rubric::IndicatorKind::Count => match rng.below(4) {
            0 => rng.pick(&[0.0, 1.0, 2.0, 3.0, 4.0, 10.0, 1e9]),
            _ => rng.below(120) as f64,
        },
        crate::rules::rubric::IndicatorKind::Amount => match rng.below(4) {
            0 => rng.pick(&[-50.0, -10.0, 0.0, 20.33, 80.0, -9.995, 5.165]),
            _ => (rng.below(13_001) as f64 - 5_000.0) / 100.0,
        },
    }
}

fn random_columns(plan: &Plan, rows: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Rng(seed);
    let mut c = vec![Vec::with_capacity(rows); plan.slots.len()];
    for _ in 0..rows {
        for (s, col) in c.iter_mut().enumerate() {
            col.push(cell(plan, s, &mut rng));
        }
    }
    c
}

fn compare(plan: &Plan, rows: usize, seed: u64, threads: usize) {
    let ns = plan.slots.len();
    let columns = random_columns(plan, rows, seed);
    let views: Vec<Strided<'_>> = columns.iter().map(|c| Strided::whole(c)).collect();
    let nc = plan.criteria.len();
    let mut bulk = BulkResult::<Points>::new(rows, nc);
    assert!(plan.score_columns(&views, bulk.out(), threads).is_ok());

    let mut x = vec![0.0; ns];
    let mut crit = vec![Points::ZERO; plan.sheets.len() * nc];
    for row in 0..rows {
        for (s, col) in columns.iter().enumerate() {
            x[s] = col[row];
        }
        let one = plan.score_row(&x, &mut crit);
        let at = || format!("scheme {}, row {row}: {x:?}", plan.id);
        assert_eq!(bulk.score[row], one.score, "{}", at());
        assert_eq!(bulk.stars[row], one.stars.map_or(0, |s| s.get()), "{}", at());
        assert_eq!(bulk.standing[row], one.standing.map_or(0, |s| s.code()), "{}", at());
        assert_eq!(bulk.vetoed[row], one.vetoed, "{}", at());
        assert_eq!(bulk.weak_lax[row], one.weak_lax, "{}", at());
        for (c, column) in bulk.criteria.iter().enumerate() {
            assert_eq!(column[row], plan.criterion_blend(c, &crit), "criterion {c}, {}", at());
        }
    }
}

#[test]
fn kernels_score_a_million_random_rows_as_the_explained_path_does() {
    let program = Program::from_toml(PROGRAM).expect("the test program is valid");
    let blended = program.plan("blended").unwrap();
    let single = program.plan("single").unwrap();
    assert_eq!(blended.sheets.len(), 2);
    // Uneven lengths: a part block at the end of a thread's rows and of the table.
    compare(blended, 600_037, 1, 1);
    compare(single, 400_011, 2, 3);
}

#[test]
fn a_row_major_matrix_scores_as_its_columns_on_any_number_of_threads() {
    let program = Program::from_toml(PROGRAM).expect("the test program is valid");
    let plan = program.plan("blended").unwrap();
    let rows = 5_000;
    let columns = random_columns(plan, rows, 3);
    let names = plan.column_names();
    let matrix: Vec<f64> = (0..rows).flat_map(|r| columns.iter().map(move |c| c[r])).collect();
    let by_columns = names.iter().zip(&columns).fold(Table::new(rows), |t, (n, c)| t.number(n, c));
    let by_rows = Table::new(rows).matrix(&names, &matrix);
    let one = Options { threads: 1, points: true };
    let expected: TableResult = program.evaluate_table_with(&by_columns, Some("blended"), one).unwrap();
    for threads in [1, 2, 3] {
        let options = Options { threads, points: true };
        assert_eq!(program.evaluate_table_with(&by_rows, Some("blended"), options).unwrap(), expected);
        assert_eq!(program.evaluate_table_with(&by_columns, Some("blended"), options).unwrap(), expected);
    }
    let short = Table::new(rows).matrix(&names, &matrix[1..]);
    assert!(program.evaluate_table(&short, Some("blended")).unwrap_err().to_string().contains("rows"));
}

#[test]
fn the_block_check_accepts_exactly_what_the_cell_check_accepts() {
    let program = Program::from_toml(PROGRAM).expect("the test program is valid");
    let probes = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -2e15,
        -1e15,
        -50.1,
        -50.0,
        -1.0,
        -0.0,
        0.0,
        0.5,
        1.0,
        2.0,
        80.0,
        80.1,
        100.0,
        100.5,
        1e9,
        1e9 + 1.0,
        1e15,
        2e15,
    ];
    for scheme in ["blended", "single"] {
        for missing in [MissingPolicy::Zero, MissingPolicy::Error] {
            let mut plan = program.plan(scheme).unwrap().clone();
            plan.missing = missing;
            for s in 0..plan.slots.len() {
                let accepts = Accepts::of(&plan, s);
                for x in probes {
                    let name = &plan.slots[s].name;
                    assert_eq!(accepts.all(&[x]), plan.check_value(s, x).is_ok(), "{name} = {x}, {missing}");
                }
            }
        }
    }
}
