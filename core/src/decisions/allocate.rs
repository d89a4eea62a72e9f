//! Paying a pool to the fen (以奖代补): largest-remainder apportionment by weight, with optional
//! per-recipient floor and cap, the undistributed rest stated, and a basis for every award.

use crate::decisions::money::Fen;
use crate::error::{Error, Result};
use crate::rules::language::{Language, text};
use crate::rules::limits;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One claim on the pool: an id (with the scheme it was named under, for exemplars) and a weight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// Who is paid: an organization id (or any recipient's id).
    pub id: String,
    /// The scheme it was named under, for exemplars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// Its weight: score in hundredths, or 1 for equal shares.
    pub weight: u64,
}

/// Where an award landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Landing {
    /// Its share of the pool by weight.
    Share,
    /// Raised to the floor.
    Floor,
    /// Cut to the cap.
    Cap,
    /// A fixed amount (tiered policy).
    Fixed,
    /// The amount its score earns (score-linked policy).
    Linked,
    /// Excluded by the policy (below the threshold, no tier).
    Excluded,
}

/// One recipient's amount and how it was reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    /// The recipient.
    pub id: String,
    /// The scheme it was named under, for exemplars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// The weight the claim carried.
    pub weight: u64,
    /// The amount paid, in fen.
    pub amount_fen: Fen,
    /// Where the amount landed: share, floor, cap, fixed or excluded.
    pub landing: Landing,
    /// The scheme or county whose sub-pool paid it, where the pool is split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_pool: Option<String>,
    /// Why this amount, in words a reviewer can check.
    pub basis: String,
}

/// A pool paid out to the fen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The pool to pay out.
    pub pool_fen: Fen,
    /// What was paid: the sum of the awards.
    pub paid_fen: Fen,
    /// What caps (or fixed amounts) leave undistributed: `pool − paid`, stated, never hidden.
    pub rest_fen: Fen,
    /// Sorted by id, then scheme.
    pub awards: Vec<Award>,
    /// What a score-linked policy's amounts added up to, where that was more than the pool and
    /// they were scaled down to it (without sub-pools; each sub-pool says so for itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaled_from_fen: Option<Fen>,
    /// The pool's split across schemes or counties, where the policy splits it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_pools: Vec<SubPool>,
    /// The content hash of the program whose policy paid it (`Program::reward`); empty for a
    /// pool apportioned without a program.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub program_hash: String,
}

/// One scheme's or county's part of a split pool, paid within it under the policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubPool {
    /// The scheme id or the county.
    pub of: String,
    /// Its weight in the split: its fixed share, or the number named in it.
    pub weight: u64,
    /// Its part of the pool, to the fen.
    pub pool_fen: Fen,
    /// What was paid from it.
    pub paid_fen: Fen,
    /// What it left undistributed.
    pub rest_fen: Fen,
    /// What a score-linked policy's amounts added up to here, where they were scaled down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaled_from_fen: Option<Fen>,
    /// How its part was reached, in words.
    pub basis: String,
}

impl Allocation {
    /// An allocation of `pool` with these awards; the rest is what they leave.
    pub(crate) fn of(pool: Fen, paid: Fen, awards: Vec<Award>) -> Allocation {
        Allocation {
            pool_fen: pool,
            paid_fen: paid,
            rest_fen: Fen(pool.0 - paid.0),
            awards,
            scaled_from_fen: None,
            sub_pools: Vec::new(),
            program_hash: String::new(),
        }
    }
}

fn key(c: &Claim) -> (&str, Option<&str>) {
    (c.id.as_str(), c.scheme.as_deref())
}

/// Sorts claims by id and scheme and rejects duplicates and impossible limits.
fn checked(pool: Fen, claims: &[Claim], floor: Fen, cap: Option<Fen>) -> Result<Vec<Claim>> {
    for (zh, what, x) in [("资金池", "pool", Some(pool)), ("保底", "floor", Some(floor)), ("上限", "cap", cap)] {
        if let Some(x) = x.filter(|x| !limits::FEN.contains(&x.0)) {
            let (max, max_fen) = (Fen(*limits::FEN.end()), limits::FEN.end());
            return Err(Error::Argument(text!(
                "{zh}{x}元应在0至{max}元（{max_fen}分）之间",
                "the {what} of {x} yuan must be 0 to {max} yuan ({max_fen} fen)"
            )));
        }
    }
    if let Some(c) = cap.filter(|c| *c < floor) {
        return Err(Error::Argument(text!(
            "保底{floor}元高于上限{c}元",
            "the floor {floor} yuan is above the cap {c} yuan"
        )));
    }
    let sorted = distinct(claims)?;
    let floors = i128::from(floor.0) * sorted.len() as i128;
    if floors > i128::from(pool.0) {
        let (n, need) = (sorted.len(), Fen(i64::try_from(floors).unwrap_or(i64::MAX)));
        return Err(Error::Argument(text!(
            "{n}个对象每个保底{floor}元，共需{need}元，超过资金池{pool}元",
            "floors of {floor} yuan for {n} recipients need {need} yuan, more than the pool of {pool} yuan"
        )));
    }
    let total: Option<u64> = sorted.iter().try_fold(0u64, |a, c| a.checked_add(c.weight));
    if total.is_none() {
        return Err(Error::Argument(text!("权重之和超过2^64", "the weights add up to more than 2^64")));
    }
    Ok(sorted)
}

/// The claims sorted by id and scheme; a recipient given twice is an error, whatever its weight.
fn distinct(claims: &[Claim]) -> Result<Vec<Claim>> {
    let mut sorted = claims.to_vec();
    sorted.sort_by(|a, b| key(a).cmp(&key(b)));
    if let Some(w) = sorted.windows(2).find(|w| key(&w[0]) == key(&w[1])) {
        let id = &w[0].id;
        let (zh, en) = match &w[0].scheme {
            Some(s) => (format!("（方案`{s}`）"), format!(" under `{s}`")),
            None => Default::default(),
        };
        return Err(Error::Argument(text!(
            "分配对象`{id}`{zh}出现两次；每个对象只列一次",
            "recipient `{id}`{en} appears twice; give each recipient once"
        )));
    }
    Ok(sorted)
}

/// Largest-remainder apportionment of `pool` by weight, each award clamped to `[floor, cap]`.
///
/// Each recipient gets `clamp(λ·weight, floor, cap)` with the one λ that pays the pool exactly;
/// the fractional fen are then handed out one each by largest remainder, ties going to the
/// smaller id (then scheme). When caps make exact payout impossible the rest is stated. A weight
/// of 0 receives the floor. The result does not depend on the order of `claims`.
///
/// ```
/// use exemplar::Language;
/// use exemplar::decisions::allocate::{Claim, apportion};
/// use exemplar::decisions::money::Fen;
/// let claim = |id: &str, weight| Claim { id: id.into(), scheme: None, weight };
/// // 100 fen by weights 1:1:1 is 33.33… each; the one fen left goes to the smallest id.
/// let a = apportion(Fen(100), &[claim("b", 1), claim("a", 1), claim("c", 1)], Fen(0), None, Language::En)?;
/// let amounts: Vec<i64> = a.awards.iter().map(|w| w.amount_fen.0).collect();
/// assert_eq!(amounts, [34, 33, 33]);
/// # Ok::<(), exemplar::Error>(())
/// ```
pub fn apportion(pool: Fen, claims: &[Claim], floor: Fen, cap: Option<Fen>, lang: Language) -> Result<Allocation> {
    let claims = checked(pool, claims, floor, cap)?;
    // A cap above the pool never binds; dropping it keeps the arithmetic in range.
    let cap = cap.filter(|c| *c < pool);
    let n = claims.len();
    let (f, c) = (floor.0 as u128, cap.map(|c| c.0 as u128));
    let p = pool.0 as u128;

    // Sweep λ upward over the breakpoints floor/w (leave the floor) and cap/w (reach the cap),
    // tracking the fixed amounts and the free weight, until Σ clamp(λ·w) reaches the pool.
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        Floor,
        Free,
        /// At the cap, which it carries: only a cap makes this state.
        Cap(u128),
    }
    let mut at = vec![At::Floor; n];
    let mut events: Vec<(u128, u128, usize, At)> = Vec::new(); // (num, den) of λ, claim, new state
    for (i, cl) in claims.iter().enumerate().filter(|(_, cl)| cl.weight > 0) {
        let w = u128::from(cl.weight);
        events.push((f, w, i, At::Free));
        if let Some(c) = c {
            events.push((c, w, i, At::Cap(c)));
        }
    }
    events
        .sort_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)).then(matches!(a.3, At::Cap(_)).cmp(&matches!(b.3, At::Cap(_)))));
    let mut fixed: u128 = f * n as u128;
    let mut free_w: u128 = 0;
    let mut k = 0;
    while k < events.len() {
        let (num, den) = (events[k].0, events[k].1);
        // Σ at λ = num/den with the current states: fixed + λ·free_w ≥ pool?
        let sum = fixed.checked_mul(den).zip(num.checked_mul(free_w)).and_then(|(a, b)| a.checked_add(b));
        if fixed >= p || sum.is_none_or(|s| s >= p * den) {
            break;
        }
        while k < events.len() && events[k].0 * den == num * events[k].1 {
            let (_, _, i, to) = events[k];
            let w = u128::from(claims[i].weight);
            match to {
                At::Free => {
                    fixed -= f;
                    free_w += w;
                }
                At::Cap(cap) => {
                    fixed += cap;
                    free_w -= w;
                }
                At::Floor => {}
            }
            at[i] = to;
            k += 1;
        }
    }

    let mut amounts: Vec<u128> = at
        .iter()
        .map(|s| match s {
            At::Floor => f,
            At::Cap(cap) => *cap,
            At::Free => 0,
        })
        .collect();
    let mut bumped = vec![false; n];
    let total_w: u128 = claims.iter().map(|c| u128::from(c.weight)).sum();
    if free_w > 0 && fixed < p {
        let share_pool = p - fixed;
        let mut remainders = Vec::new();
        for i in (0..n).filter(|&i| at[i] == At::Free) {
            let x = share_pool * u128::from(claims[i].weight);
            amounts[i] = x / free_w;
            remainders.push((x % free_w, i));
        }
        let left = (share_pool - remainders.iter().map(|&(_, i)| amounts[i]).sum::<u128>()) as usize;
        // Largest remainder first; ties to the smaller id (claims are sorted by id, then scheme).
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().take(left) {
            amounts[i] += 1;
            bumped[i] = true;
        }
    }
    let paid: u128 = amounts.iter().sum();
    let awards = claims
        .into_iter()
        .zip(amounts.iter().zip(&at).zip(&bumped))
        .map(|(cl, ((&amount, &state), &bumped))| {
            let amount = Fen(amount as i64);
            let zh = lang == Language::Zh;
            let (landing, basis) = match state {
                At::Floor if cl.weight == 0 => (
                    Landing::Floor,
                    if zh {
                        format!("权重为0：按保底{floor}元")
                    } else {
                        format!("weight 0: the floor of {floor} yuan")
                    },
                ),
                At::Floor => (
                    Landing::Floor,
                    if zh {
                        format!("份额低于保底，提至{floor}元")
                    } else {
                        format!("share below the floor: raised to {floor} yuan")
                    },
                ),
                At::Cap(_) => (
                    Landing::Cap,
                    if zh {
                        format!("份额高于上限，按上限{amount}元")
                    } else {
                        format!("share above the cap: held at {amount} yuan")
                    },
                ),
                At::Free => {
                    let w = cl.weight;
                    let basis = match (zh, bumped) {
                        (true, false) => format!("权重{w}/{total_w}：{amount}元"),
                        (true, true) => format!("权重{w}/{total_w}：{amount}元，按最大余数法加0.01元"),
                        (false, false) => format!("weight {w} of {total_w}: {amount} yuan"),
                        (false, true) => format!("weight {w} of {total_w}: {amount} yuan, +0.01 by largest remainder"),
                    };
                    (Landing::Share, basis)
                }
            };
            Award {
                id: cl.id,
                scheme: cl.scheme,
                weight: cl.weight,
                amount_fen: amount,
                landing,
                sub_pool: None,
                basis,
            }
        })
        .collect();
    Ok(Allocation::of(pool, Fen(paid as i64), awards))
}

/// Apportionment with the policy choices every caller has: claims weighing less than
/// `threshold` get nothing and are listed as excluded with the reason; with `equal` the others
/// share alike instead of by weight. The result does not depend on the order of `claims`.
pub fn apportion_above(
    pool: Fen,
    claims: &[Claim],
    threshold: Option<u64>,
    equal: bool,
    floor: Fen,
    cap: Option<Fen>,
    lang: Language,
) -> Result<Allocation> {
    distinct(claims)?;
    let (kept, out): (Vec<&Claim>, Vec<&Claim>) = claims.iter().partition(|c| threshold.is_none_or(|t| c.weight >= t));
    let shares: Vec<Claim> =
        kept.iter().map(|c| Claim { weight: if equal { 1 } else { c.weight }, ..(*c).clone() }).collect();
    let mut a = apportion(pool, &shares, floor, cap, lang)?;
    for (award, c) in a.awards.iter_mut().zip(sorted(&kept)) {
        award.weight = c.weight;
    }
    a.awards.extend(out.into_iter().map(|c| Award {
        id: c.id.clone(),
        scheme: c.scheme.clone(),
        weight: c.weight,
        amount_fen: Fen::ZERO,
        landing: Landing::Excluded,
        sub_pool: None,
        basis: match lang {
            Language::Zh => format!("权重{}低于门槛{}", c.weight, threshold.unwrap_or_default()),
            Language::En => format!("weight {} is below the threshold {}", c.weight, threshold.unwrap_or_default()),
        },
    }));
    a.awards.sort_by(|x, y| (&x.id, &x.scheme).cmp(&(&y.id, &y.scheme)));
    Ok(a)
}

fn sorted<'a>(claims: &[&'a Claim]) -> Vec<&'a Claim> {
    let mut v = claims.to_vec();
    v.sort_by(|a, b| key(a).cmp(&key(b)));
    v
}

/// Fixed amounts (a tiered policy), clamped to `[floor, cap]`; the rest of the pool is stated.
pub fn fixed(pool: Fen, claims: &[(Claim, Fen)], floor: Fen, cap: Option<Fen>, lang: Language) -> Result<Allocation> {
    let bare: Vec<Claim> = claims.iter().map(|(c, _)| c.clone()).collect();
    checked(pool, &bare, floor, cap)?;
    let mut sorted = claims.to_vec();
    sorted.sort_by(|a, b| key(&a.0).cmp(&key(&b.0)));
    // Each amount is at most 10¹⁵ fen, so the sum of any list that fits in memory fits in i128.
    let mut paid: i128 = 0;
    let mut awards = Vec::new();
    for (cl, amount) in sorted {
        if !limits::FEN.contains(&amount.0) {
            let (id, max, x) = (&cl.id, limits::FEN.end(), amount.0);
            return Err(Error::Argument(text!(
                "`{id}`的固定金额应在0至{max}分之间，而非{x}分",
                "the fixed amount of `{id}` must be 0 to {max} fen, not {x}"
            )));
        }
        let clamped = Fen(amount.0.max(floor.0).min(cap.map_or(i64::MAX, |c| c.0)));
        let basis = match (lang, clamped.cmp(&amount)) {
            (Language::Zh, Ordering::Equal) => format!("固定金额{amount}元"),
            (Language::Zh, Ordering::Greater) => format!("固定金额{amount}元，提至保底{floor}元"),
            (Language::Zh, Ordering::Less) => format!("固定金额{amount}元，按上限{clamped}元"),
            (Language::En, Ordering::Equal) => format!("fixed amount {amount} yuan"),
            (Language::En, Ordering::Greater) => format!("fixed amount {amount} yuan raised to the floor {floor} yuan"),
            (Language::En, Ordering::Less) => format!("fixed amount {amount} yuan held at the cap {clamped} yuan"),
        };
        paid += i128::from(clamped.0);
        awards.push(Award {
            id: cl.id,
            scheme: cl.scheme,
            weight: cl.weight,
            amount_fen: clamped,
            landing: Landing::Fixed,
            sub_pool: None,
            basis,
        });
    }
    if paid > i128::from(pool.0) {
        return Err(Error::Argument(text!(
            "固定金额共需{paid}分，超过资金池{pool}元",
            "fixed amounts need {paid} fen, more than the pool of {pool} yuan"
        )));
    }
    Ok(Allocation::of(pool, Fen(paid as i64), awards))
}

crate::data::model::snake_case_text!(Landing, "landing", "分配落点");
