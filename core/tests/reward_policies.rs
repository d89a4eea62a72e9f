//! Score-linked and base-plus-share rewards and sub-pools (the hand-worked cases are in the
//! selection fixture): for any named list, pool and policy, the pool is accounted for to the fen,
//! every amount lies within its bounds, and the order of the named list does not matter.

use exemplar::decisions::allocate::{Allocation, Landing};
use exemplar::decisions::not_named::NotNamedList;
use exemplar::decisions::select::{Named, Selection};
use exemplar::{Points, Program, Stars};
use proptest::prelude::*;

const BASE: &str = include_str!("../../tests/fixtures/selection/program.toml");

fn program(pool: i64, reward: &str) -> Program {
    let text = BASE.replace("reward_pool_fen = 100000", &format!("reward_pool_fen = {pool}"));
    Program::from_toml(&format!("{text}\n[reward]\n{reward}\n")).unwrap_or_else(|e| panic!("{reward}: {e}"))
}

fn selection(named: Vec<Named>) -> Selection {
    Selection {
        target: 0,
        named,
        waiting: Vec::new(),
        not_named: NotNamedList::default(),
        shortfalls: Vec::new(),
        program_hash: String::new(),
    }
}

/// Named exemplars with distinct ids: scheme, county, score in hundredths, tier.
fn named_list() -> impl Strategy<Value = Vec<Named>> {
    prop::collection::vec((0..2usize, 0..3usize, 0..=10_000i64, 1..=5u8), 0..12).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (s, c, score, tier))| Named {
                rank: i + 1,
                org_id: format!("o{i:02}"),
                scheme: ["a", "b"][s].to_string(),
                county: ["X", "Y", "Z"][c].to_string(),
                score: Points(score),
                stars: Stars::new(tier),
                tier: Stars::new(tier),
                basis: String::new(),
            })
            .collect()
    })
}

/// A score-linked or base-plus-share policy, with or without sub-pools; and its bounds on an
/// award: (floor, cap).
fn policy() -> impl Strategy<Value = (String, i64, Option<i64>)> {
    let linked = (
        0..=100u32,
        0..=1_000_000i64,
        0..=100_000i64,
        prop::option::of(0..=50_000i64),
        prop::option::of(0..=2_000_000i64),
    )
        .prop_map(|(full_at, full, per, floor, cap)| {
            let floor = floor.filter(|f| cap.is_none_or(|c| *f <= c));
            let mut s =
                format!("kind = \"score_linked\"\nfull_at = {full_at}\nfull_fen = {full}\nper_point_fen = {per}\n");
            if let Some(f) = floor {
                s += &format!("floor_fen = {f}\n");
            }
            if let Some(c) = cap {
                s += &format!("cap_fen = {c}\n");
            }
            (s, floor.unwrap_or(0), cap)
        });
    let base = (0..=50_000i64, 0..3usize, prop::option::of(0..=2_000_000i64), prop::collection::vec(1..=10u64, 5))
        .prop_map(|(base, share, cap, weights)| {
            let cap = cap.map(|c| c.max(base));
            let share = ["equal", "score", "tier"][share];
            let mut s = format!("kind = \"base_plus_share\"\nbase_fen = {base}\nshare = \"{share}\"\n");
            if let Some(c) = cap {
                s += &format!("cap_fen = {c}\n");
            }
            if share == "tier" {
                let tiers: Vec<String> =
                    weights.iter().enumerate().map(|(t, w)| format!("{{ stars = {}, weight = {w} }}", t + 1)).collect();
                s += &format!("tiers = [{}]\n", tiers.join(", "));
            }
            (s, base, cap)
        });
    let split = prop_oneof![
        Just(String::new()),
        Just("sub_pools = { by = \"county\", split = \"named\" }\n".to_string()),
        Just("sub_pools = { by = \"scheme\", split = \"named\" }\n".to_string()),
        Just("sub_pools = { by = \"county\", split = \"fixed\", shares = [{ of = \"X\", weight = 5 }, { of = \"Y\", weight = 3 }, { of = \"Z\", weight = 1 }] }\n".to_string()),
    ];
    (prop_oneof![linked, base], split).prop_map(|((s, floor, cap), split)| (s + &split, floor, cap))
}

/// The pool is paid and rested to the fen, overall and in each sub-pool; every award not
/// excluded lies within `[floor, cap]`.
fn accounted(a: &Allocation, pool: i64, floor: i64, cap: Option<i64>) {
    let paid: i64 = a.awards.iter().map(|w| w.amount_fen.0).sum();
    assert_eq!(a.paid_fen.0, paid);
    assert_eq!(a.paid_fen.0 + a.rest_fen.0, pool);
    assert!(a.rest_fen.0 >= 0);
    if !a.sub_pools.is_empty() {
        assert_eq!(a.sub_pools.iter().map(|s| s.pool_fen.0).sum::<i64>(), pool);
        for s in &a.sub_pools {
            assert_eq!(s.paid_fen.0 + s.rest_fen.0, s.pool_fen.0);
            let here: i64 =
                a.awards.iter().filter(|w| w.sub_pool.as_deref() == Some(&s.of)).map(|w| w.amount_fen.0).sum();
            assert_eq!(here, s.paid_fen.0, "{}", s.of);
        }
    }
    for w in a.awards.iter().filter(|w| w.landing != Landing::Excluded) {
        assert!(w.amount_fen.0 >= floor && cap.is_none_or(|c| w.amount_fen.0 <= c), "{w:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_fen_is_accounted_for_within_bounds_in_any_order(
        named in named_list(),
        pool in 0..=2_000_000i64,
        (reward, floor, cap) in policy(),
        seed in any::<u64>(),
    ) {
        let p = program(pool, &reward);
        let want = p.reward(&selection(named.clone()));
        let mut shuffled = named;
        // A seeded shuffle: the order of the named list must not change a fen.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let got = p.reward(&selection(shuffled));
        match (&want, &got) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a, b);
                accounted(a, pool, floor, cap);
            }
            // Only floors or bases beyond a (sub-)pool refuse to pay, and alike in any order.
            (Err(a), Err(b)) => {
                prop_assert_eq!(a.to_string(), b.to_string());
                prop_assert!(a.to_string().contains("more than the pool"), "{}", a);
            }
            _ => prop_assert!(false, "{want:?} but {got:?}"),
        }
    }
}

/// A 4★ exemplar of scheme `a` in county X, scoring `score` hundredths.
fn named(id: &str, score: i64) -> Named {
    Named {
        rank: 1,
        org_id: id.into(),
        scheme: "a".into(),
        county: "X".into(),
        score: Points(score),
        stars: Stars::new(4),
        tier: Stars::new(4),
        basis: String::new(),
    }
}

#[test]
fn the_published_county_rule_loads_as_written_and_pays_exactly() {
    // Full award at 90 or above; 100.00 yuan less for every point below, pro rata.
    let p = program(
        10_000_000,
        "kind = \"score_linked\"\nfull_at = 90            # score at or above which the full amount is paid\n\
         full_fen = 1000000      # the full amount\n\
         per_point_fen = 10000   # deducted per point below full_at (pro rata for fractions of a point)",
    );
    // 95.00 → the full 1,000,000; 89.99 → 1,000,000 − 10,000 × 0.01 = 999,900;
    // 72.35 → 1,000,000 − 10,000 × 17.65 = 823,500. 2,823,400 of 10,000,000 paid.
    let a = p.reward(&selection(vec![named("o1", 9_500), named("o2", 8_999), named("o3", 7_235)])).unwrap();
    let amounts: Vec<i64> = a.awards.iter().map(|w| w.amount_fen.0).collect();
    assert_eq!(amounts, [1_000_000, 999_900, 823_500]);
    assert_eq!((a.paid_fen.0, a.rest_fen.0, a.scaled_from_fen), (2_823_400, 7_176_600, None));
}

#[test]
fn a_score_linked_amount_never_goes_below_zero() {
    // Full 100.00 yuan at 90, 30.00 yuan a point below: 80.00 (10 short) would be −200.00: nothing.
    let p = program(1_000_000, "kind = \"score_linked\"\nfull_at = 90\nfull_fen = 10000\nper_point_fen = 3000");
    let a = p.reward(&selection(vec![named("o1", 8000), named("o2", 8_750)])).unwrap();
    // o2: 2.50 short: 10,000 − 3,000 × 2.5 = 2,500 fen.
    let amounts: Vec<i64> = a.awards.iter().map(|w| w.amount_fen.0).collect();
    assert_eq!(amounts, [0, 2_500]);
    // 得分80.00，比90.00分低10.00分：100.00 − 30.00 × 10.00，不足0元：不予奖补.
    assert!(a.awards[0].basis.contains("不足0元：不予奖补"), "{}", a.awards[0].basis);
    assert_eq!((a.paid_fen.0, a.rest_fen.0), (2_500, 997_500));
}

#[test]
fn reward_settings_are_checked_where_they_stand() {
    for (reward, problem) in [
        ("kind = \"score_linked\"\nfull_at = 90", "needs full_at, full_fen and per_point_fen"),
        ("kind = \"equal\"\nfull_fen = 100", "full_fen applies only to kind = \"score_linked\""),
        ("kind = \"base_plus_share\"", "needs base_fen"),
        ("kind = \"base_plus_share\"\nbase_fen = 10\nfloor_fen = 5", "floor_fen does not apply to base_plus_share"),
        ("kind = \"base_plus_share\"\nbase_fen = 10\ncap_fen = 5", "base_fen 10 is above cap_fen 5"),
        ("kind = \"base_plus_share\"\nbase_fen = 10\nshare = \"tier\"", "needs tiers"),
        (
            "kind = \"base_plus_share\"\nbase_fen = 10\nshare = \"tier\"\ntiers = [{ stars = 5, fen = 9 }]",
            "gives weight",
        ),
        ("kind = \"tiered\"\ntiers = [{ stars = 5, weight = 9 }]", "gives fen"),
        ("kind = \"score_linked\"\nfull_at = 90.001\nfull_fen = 1\nper_point_fen = 1", "full_at 90.001 must be"),
        ("sub_pools = { by = \"county\", split = \"fixed\" }", "needs shares"),
        (
            "sub_pools = { by = \"county\", split = \"named\", shares = [{ of = \"X\", weight = 1 }] }",
            "only with split",
        ),
        ("sub_pools = { by = \"scheme\", split = \"fixed\", shares = [{ of = \"c\", weight = 1 }] }", "no scheme `c`"),
        (
            "sub_pools = { by = \"county\", split = \"fixed\", shares = [{ of = \"X\", weight = 0 }] }",
            "weight 0 must be 1 to",
        ),
    ] {
        let text = format!("{BASE}\n[reward]\n{reward}\n");
        let e = Program::from_toml(&text).expect_err(reward).to_string();
        assert!(e.contains(problem), "{reward}: `{e}` lacks `{problem}`");
    }
}
