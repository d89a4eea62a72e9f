//! Paying a pool to the fen: hand-worked apportionments and the invariants that must hold for
//! any pool, weights, floor and cap.

use exemplar::Language;
use exemplar::decisions::allocate::{Claim, Landing, apportion, apportion_above, fixed};
use exemplar::decisions::money::Fen;
use proptest::prelude::*;

fn claims(ws: &[(&str, u64)]) -> Vec<Claim> {
    ws.iter().map(|(id, w)| Claim { id: id.to_string(), scheme: None, weight: *w }).collect()
}

fn amounts(a: &exemplar::decisions::allocate::Allocation) -> Vec<i64> {
    a.awards.iter().map(|x| x.amount_fen.0).collect()
}

#[test]
fn three_way_tie_for_the_last_fen_goes_to_the_smallest_id() {
    // 100 fen / 3 = 33 r 1 each; one fen left, equal remainders: the smallest id, "a", gets it.
    let a = apportion(Fen(100), &claims(&[("c", 1), ("a", 1), ("b", 1)]), Fen(0), None, Language::En).unwrap();
    assert_eq!(amounts(&a), vec![34, 33, 33]);
    assert_eq!((a.paid_fen, a.rest_fen), (Fen(100), Fen(0)));
    assert!(a.awards[0].basis.contains("+0.01 by largest remainder"));
}

#[test]
fn largest_remainders_get_the_odd_fen() {
    // 1,000 fen by 1:2:4 (of 7): 142.857…, 285.714…, 571.428… → 142 + 285 + 571 = 998, 2 left;
    // remainders 1000·1 mod 7 = 6, 2000 mod 7 = 5, 4000 mod 7 = 3: a and b get one each.
    let a = apportion(Fen(1000), &claims(&[("a", 1), ("b", 2), ("c", 4)]), Fen(0), None, Language::En).unwrap();
    assert_eq!(amounts(&a), vec![143, 286, 571]);
}

#[test]
fn a_cap_frees_money_for_the_others() {
    // 1,000 fen by 6:2:2 would give a 600; the cap of 500 holds it there and the freed 100
    // goes to b and c by their weights: 250 each.
    let a =
        apportion(Fen(1000), &claims(&[("a", 6), ("b", 2), ("c", 2)]), Fen(0), Some(Fen(500)), Language::En).unwrap();
    assert_eq!(amounts(&a), vec![500, 250, 250]);
    assert_eq!(a.awards[0].landing, Landing::Cap);
    assert_eq!(a.rest_fen, Fen(0));
}

#[test]
fn a_floor_raises_the_small_and_takes_from_the_rest() {
    // 1,000 fen by 1:9 would give a 100; the floor of 200 raises it, b gets the other 800.
    let a = apportion(Fen(1000), &claims(&[("a", 1), ("b", 9)]), Fen(200), None, Language::En).unwrap();
    assert_eq!(amounts(&a), vec![200, 800]);
    assert_eq!(a.awards[0].landing, Landing::Floor);
}

#[test]
fn caps_that_block_exact_payout_state_the_rest() {
    // Two recipients capped at 300 fen cannot take a pool of 1,000: 400 fen stay undistributed.
    let a = apportion(Fen(1000), &claims(&[("a", 1), ("b", 3)]), Fen(0), Some(Fen(300)), Language::En).unwrap();
    assert_eq!(amounts(&a), vec![300, 300]);
    assert_eq!((a.paid_fen, a.rest_fen), (Fen(600), Fen(400)));
}

#[test]
fn floors_that_exceed_the_pool_are_a_clear_error() {
    // 3 × 40 = 120 fen of floors against a pool of 100.
    let err = apportion(Fen(100), &claims(&[("a", 1), ("b", 1), ("c", 1)]), Fen(40), None, Language::En)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("floors of 0.40 yuan for 3 recipients need 1.20 yuan, more than the pool of 1.00 yuan"),
        "{err}"
    );
}

#[test]
fn a_pool_smaller_than_the_recipients() {
    // 2 fen among 5 equals: 0 r 2 each, two fen left, ties by id: a and b.
    let a = apportion(Fen(2), &claims(&[("e", 7), ("d", 7), ("c", 7), ("b", 7), ("a", 7)]), Fen(0), None, Language::En)
        .unwrap();
    assert_eq!(amounts(&a), vec![1, 1, 0, 0, 0]);
}

#[test]
fn bad_arguments_are_errors() {
    assert!(apportion(Fen(-1), &claims(&[("a", 1)]), Fen(0), None, Language::En).is_err());
    assert!(
        apportion(Fen(10), &claims(&[("a", 1), ("a", 2)]), Fen(0), None, Language::En)
            .unwrap_err()
            .to_string()
            .contains("twice")
    );
    assert!(apportion(Fen(10), &claims(&[("a", 1)]), Fen(5), Some(Fen(4)), Language::En).is_err());
    assert!(apportion(Fen(10), &claims(&[("a", u64::MAX), ("b", 1)]), Fen(0), None, Language::En).is_err());
    let empty = apportion(Fen(10), &[], Fen(0), None, Language::En).unwrap();
    assert_eq!((empty.paid_fen, empty.rest_fen), (Fen(0), Fen(10)));
}

#[test]
fn below_the_threshold_gets_nothing_and_is_listed() {
    // Threshold 60: b (50) is out. 100 fen by 90:70 of 160 → 56.25 and 43.75 → 56 + 43, one fen
    // left; remainders 9000 mod 160 = 40 and 7000 mod 160 = 120: c gets it.
    let cs = claims(&[("a", 90), ("b", 50), ("c", 70)]);
    let a = apportion_above(Fen(100), &cs, Some(60), false, Fen(0), None, Language::En).unwrap();
    assert_eq!(amounts(&a), vec![56, 0, 44]);
    assert_eq!(a.awards[1].landing, Landing::Excluded);
    assert!(a.awards[1].basis.contains("below the threshold 60"));
    assert_eq!(a.awards[0].weight, 90, "awards keep the weight they came with");
    // Equal shares among those above it: 50 each.
    let e = apportion_above(Fen(100), &cs, Some(60), true, Fen(0), None, Language::En).unwrap();
    assert_eq!(amounts(&e), vec![50, 0, 50]);
}

#[test]
fn fixed_tiers_pay_their_amounts_and_state_the_rest() {
    let c = claims(&[("a", 5), ("b", 4)]);
    let a =
        fixed(Fen(5000), &[(c[0].clone(), Fen(3000)), (c[1].clone(), Fen(1000))], Fen(0), None, Language::En).unwrap();
    assert_eq!((amounts(&a), a.rest_fen), (vec![3000, 1000], Fen(1000)));
    let err = fixed(Fen(3000), &[(c[0].clone(), Fen(3000)), (c[1].clone(), Fen(1000))], Fen(0), None, Language::En)
        .unwrap_err();
    assert!(err.to_string().contains("more than the pool"));
}

proptest! {
    #[test]
    fn apportionment_invariants(
        pool in 0i64..2_000_000_000,
        ws in proptest::collection::vec(0u64..1_000_000, 0..40),
        floor in 0i64..200_000,
        cap in proptest::option::of(0i64..100_000_000),
        seed in any::<u64>(),
    ) {
        let cs: Vec<Claim> = ws.iter().enumerate().map(|(i, w)| Claim { id: format!("r{i:03}"), scheme: None, weight: *w }).collect();
        let cap = cap.map(|c| Fen(c.max(floor)));
        match apportion(Fen(pool), &cs, Fen(floor), cap, Language::En) {
            Err(_) => prop_assert!(floor as i128 * cs.len() as i128 > pool as i128),
            Ok(a) => {
                // The pool is paid exactly, or the rest is stated.
                prop_assert_eq!(a.paid_fen.0 + a.rest_fen.0, pool);
                prop_assert_eq!(a.awards.iter().map(|x| x.amount_fen.0).sum::<i64>(), a.paid_fen.0);
                for x in &a.awards {
                    prop_assert!(x.amount_fen.0 >= floor);
                    prop_assert!(cap.is_none_or(|c| x.amount_fen <= c || c.0 >= pool));
                }
                // A rest only when every weighted recipient is at its cap.
                if a.rest_fen.0 > 0 && !cs.is_empty() && ws.iter().any(|w| *w > 0) {
                    prop_assert!(a.awards.iter().filter(|x| x.weight > 0).all(|x| x.landing == Landing::Cap));
                }
                // A higher weight never receives less.
                for x in &a.awards {
                    for y in &a.awards {
                        if x.weight > y.weight {
                            prop_assert!(x.amount_fen >= y.amount_fen, "{:?} < {:?}", x, y);
                        }
                    }
                }
                // Shuffled input, identical output.
                let mut shuffled = cs.clone();
                let mut rng = exemplar::sample::Rng::new(seed);
                for i in (1..shuffled.len()).rev() {
                    let j = rng.below(i + 1);
                    shuffled.swap(i, j);
                }
                prop_assert_eq!(apportion(Fen(pool), &shuffled, Fen(floor), cap, Language::En).unwrap(), a);
            }
        }
    }
}
