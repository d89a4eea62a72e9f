//! Rewards for the named exemplars (以奖代补) under the program's reward policy: equal shares,
//! a fixed amount per star tier, in proportion to score, an amount linked to the score, or a
//! base plus a share of the rest; above an optional threshold; the pool optionally split first
//! across schemes or counties.

use crate::decisions::allocate::{Allocation, Award, Claim, Landing, SubPool, apportion, apportion_above, fixed};
use crate::decisions::money::Fen;
use crate::decisions::select::{Named, Selection};
use crate::error::{Error, Result};
use crate::rules::language::{Language, Text, text};
use crate::rules::policy::{RewardKind, RewardPolicy, Share, Split, SubPoolBy, SubPools};
use crate::rules::program::Program;
use crate::scoring::points::Points;
use std::collections::BTreeMap;

impl Program {
    /// Pays `settings.reward_pool_fen` to the named exemplars; every award states its basis.
    /// See [`Program::select`] for an example.
    pub fn reward(&self, selection: &Selection) -> Result<Allocation> {
        let policy = self.file().reward.clone().unwrap_or_default();
        let pool = Fen(self.file().settings.reward_pool_fen);
        let named: Vec<&Named> = selection.named.iter().collect();
        let lang = self.language();
        let mut alloc = match &policy.sub_pools {
            None => pay(&policy, pool, &named, lang)?,
            Some(split) => {
                let group_name = |id: &str| match split.by {
                    SubPoolBy::Scheme => self.plan(id).map_or(id, |p| p.name(lang)).to_string(),
                    SubPoolBy::County => id.to_string(),
                };
                pay_split(&policy, split, pool, &named, lang, &group_name)?
            }
        };
        alloc.program_hash = self.content_hash().to_string();
        Ok(alloc)
    }
}

/// The claim an exemplar makes, keyed as its award is.
fn claim(n: &Named, weight: u64) -> Claim {
    Claim { id: n.org_id.clone(), scheme: Some(n.scheme.clone()), weight }
}

/// An award of nothing, with the reason.
fn excluded(n: &Named, weight: u64, basis: String) -> Award {
    let Claim { id, scheme, .. } = claim(n, weight);
    Award { id, scheme, weight, amount_fen: Fen::ZERO, landing: Landing::Excluded, sub_pool: None, basis }
}

/// A score as the weight of a claim: its hundredths.
fn score_weight(n: &Named) -> u64 {
    n.score.hundredths().max(0) as u64
}

/// The pool paid to `named` under the policy (its sub-pools aside).
fn pay(policy: &RewardPolicy, pool: Fen, named: &[&Named], lang: Language) -> Result<Allocation> {
    let zh = lang == Language::Zh;
    let (floor, cap) = (Fen(policy.floor_fen.unwrap_or(0)), policy.cap_fen.map(Fen));
    let threshold = policy.threshold.map(Points::round);
    let mut alloc = match policy.kind {
        RewardKind::Equal | RewardKind::Proportional => {
            // Weighted by score in hundredths, so the threshold compares scores.
            let claims: Vec<Claim> = named.iter().map(|n| claim(n, score_weight(n))).collect();
            let t = threshold.map(|t| t.hundredths().max(0) as u64);
            let mut alloc = apportion_above(pool, &claims, t, policy.kind == RewardKind::Equal, floor, cap, lang)?;
            for a in &mut alloc.awards {
                let score = Points(a.weight as i64);
                a.basis = match (a.landing, policy.kind) {
                    (Landing::Excluded, _) => below_threshold(score, threshold.unwrap_or_default(), lang),
                    (_, RewardKind::Equal) if zh => format!("平均分配：{}", a.basis),
                    (_, RewardKind::Equal) => format!("equal share: {}", a.basis),
                    _ if zh => format!("得分{score}：{}", a.basis),
                    _ => format!("score {score}: {}", a.basis),
                };
            }
            return Ok(alloc);
        }
        _ => {
            let (kept, below): (Vec<&Named>, Vec<&Named>) =
                named.iter().partition(|n| threshold.is_none_or(|t| n.score >= t));
            let terms = Terms { policy, pool, floor, cap, lang };
            let mut alloc = match policy.kind {
                RewardKind::Tiered => tiered(terms, &kept)?,
                RewardKind::ScoreLinked => score_linked(terms, &kept)?,
                _ => base_plus_share(terms, &kept)?,
            };
            let t = threshold.unwrap_or_default();
            let weight = |n: &Named| if policy.kind == RewardKind::Tiered { 1 } else { score_weight(n) };
            alloc.awards.extend(below.iter().map(|n| excluded(n, weight(n), below_threshold(n.score, t, lang))));
            alloc
        }
    };
    alloc.awards.sort_by(|a, b| (&a.id, &a.scheme).cmp(&(&b.id, &b.scheme)));
    Ok(alloc)
}

/// Why a score below the reward threshold gets nothing.
fn below_threshold(score: Points, threshold: Points, lang: Language) -> String {
    match lang {
        Language::Zh => format!("得分{score}，低于奖补门槛{threshold}分"),
        Language::En => format!("score {score} is below the reward threshold {threshold}"),
    }
}

/// Why an exemplar whose tier has no amount (or weight) gets nothing.
fn no_tier(n: &Named, lang: Language) -> String {
    match lang {
        Language::Zh => format!("{}无对应奖补档次", tier_words(n, lang)),
        Language::En => format!("no reward tier for {}", tier_words(n, lang)),
    }
}

/// What a policy pays with: the policy, the pool, each exemplar's floor and cap, the language.
#[derive(Clone, Copy)]
struct Terms<'a> {
    policy: &'a RewardPolicy,
    pool: Fen,
    floor: Fen,
    cap: Option<Fen>,
    lang: Language,
}

/// The tier's fixed amount to each exemplar.
fn tiered(terms: Terms<'_>, kept: &[&Named]) -> Result<Allocation> {
    let Terms { policy, pool, floor, cap, lang } = terms;
    let mut paid = Vec::new();
    let mut out = Vec::new();
    for &n in kept {
        let tier = n.tier.and_then(|t| policy.tiers.iter().find(|x| x.stars == t.get()));
        match tier.and_then(|t| t.fen) {
            Some(fen) => paid.push((n, Fen(fen))),
            None => out.push(excluded(n, 1, no_tier(n, lang))),
        }
    }
    // `fixed` lists its awards by id and scheme: the same order as these.
    paid.sort_by(|a, b| (&a.0.org_id, &a.0.scheme).cmp(&(&b.0.org_id, &b.0.scheme)));
    let claims: Vec<(Claim, Fen)> = paid.iter().map(|&(n, fen)| (claim(n, 1), fen)).collect();
    let mut alloc = fixed(pool, &claims, floor, cap, lang)?;
    for (a, (n, _)) in alloc.awards.iter_mut().zip(&paid) {
        a.basis = match lang {
            Language::Zh => format!("{}档：{}", tier_words(n, lang), a.basis),
            Language::En => format!("{} tier: {}", tier_words(n, lang), a.basis),
        };
    }
    alloc.awards.extend(out);
    Ok(alloc)
}

fn tier_words(n: &Named, lang: Language) -> String {
    n.tier.map_or(lang.pick("未评星", "unrated").into(), |t| t.to_string())
}

/// The amount a score earns: the full amount at `full_at` or above, less `per_point_fen` for
/// every point below, pro rata for hundredths, never below zero. Exact in hundredths of a fen,
/// then rounded half away from zero to the whole fen (the one rounding rule, for money); the
/// working in words.
pub(crate) fn linked_amount(
    score: Points,
    full_at: Points,
    full: Fen,
    per_point: Fen,
    lang: Language,
) -> (Fen, String) {
    let zh = lang == Language::Zh;
    let short = (full_at.hundredths() - score.hundredths()).max(0);
    if short == 0 {
        return (
            full,
            if zh {
                format!("得分{score}，达到{full_at}分：全额{full}元")
            } else {
                format!("score {score} at or above {full_at}: the full {full} yuan")
            },
        );
    }
    // In hundredths of a fen: 100 × full − per point × hundredths short (each factor ≤ 10¹⁵).
    let exact = i128::from(full.0) * 100 - i128::from(per_point.0) * i128::from(short);
    let amount = Fen(if exact <= 0 { 0 } else { ((exact + 50) / 100) as i64 });
    let short = Points(short);
    let words = if zh {
        let working = format!("得分{score}，比{full_at}分低{short}分：{full} − {per_point} × {short}");
        if exact <= 0 {
            format!("{working}，不足0元：不予奖补")
        } else if exact % 100 != 0 {
            format!("{working} = {amount}元（不足1分钱的部分四舍五入）")
        } else {
            format!("{working} = {amount}元")
        }
    } else {
        let working = format!("score {score}, {short} below {full_at}: {full} − {per_point} × {short}");
        if exact <= 0 {
            format!("{working} is below zero: nothing")
        } else if exact % 100 != 0 {
            format!("{working} = {amount} yuan (a fraction of a fen rounded half away from zero)")
        } else {
            format!("{working} = {amount} yuan")
        }
    };
    (amount, words)
}

/// Each exemplar's linked amount within floor and cap; scaled down to the pool, by largest
/// remainder, where the amounts add up to more.
fn score_linked(terms: Terms<'_>, kept: &[&Named]) -> Result<Allocation> {
    let Terms { policy, pool, floor, cap, lang } = terms;
    let zh = lang == Language::Zh;
    let missing = || {
        Error::Argument(text!(
            "按得分挂钩的奖补须设定full_at、full_fen和per_point_fen",
            "a score_linked reward needs full_at, full_fen and per_point_fen"
        ))
    };
    let full_at = Points::round(policy.full_at.ok_or_else(missing)?);
    let (full, per) = (Fen(policy.full_fen.ok_or_else(missing)?), Fen(policy.per_point_fen.ok_or_else(missing)?));
    let mut linked: Vec<(Claim, Fen, Landing, String)> = kept
        .iter()
        .map(|n| {
            let (amount, words) = linked_amount(n.score, full_at, full, per, lang);
            let (amount, landing, words) = match cap {
                Some(c) if amount > c && zh => (c, Landing::Cap, format!("{words}，按上限{c}元")),
                Some(c) if amount > c => (c, Landing::Cap, format!("{words}, held at the cap {c} yuan")),
                _ if amount < floor && zh => (floor, Landing::Floor, format!("{words}，提至保底{floor}元")),
                _ if amount < floor => (floor, Landing::Floor, format!("{words}, raised to the floor {floor} yuan")),
                _ => (amount, Landing::Linked, words),
            };
            (claim(n, score_weight(n)), amount, landing, words)
        })
        .collect();
    linked.sort_by(|a, b| (&a.0.id, &a.0.scheme).cmp(&(&b.0.id, &b.0.scheme)));
    let asked: i128 = linked.iter().map(|l| i128::from(l.1.0)).sum();
    if asked <= i128::from(pool.0) {
        let claims: Vec<(Claim, Fen)> = linked.iter().map(|l| (l.0.clone(), l.1)).collect();
        let mut alloc = fixed(pool, &claims, floor, cap, lang)?;
        for (a, (_, _, landing, words)) in alloc.awards.iter_mut().zip(linked) {
            (a.landing, a.basis) = (landing, words);
        }
        return Ok(alloc);
    }
    // More asked than the pool holds: each paid in proportion to its amount, to the fen.
    let asked = Fen(asked as i64);
    let claims: Vec<Claim> = linked.iter().map(|l| Claim { weight: l.1.0 as u64, ..l.0.clone() }).collect();
    let mut alloc = apportion(pool, &claims, floor, cap, lang)?;
    for (a, (c, _, _, words)) in alloc.awards.iter_mut().zip(linked) {
        a.weight = c.weight;
        a.basis = if zh {
            format!("{words}；各项金额合计{asked}元，超过资金池{pool}元，按各自金额（以分计）比例分配（{}）", a.basis)
        } else {
            format!(
                "{words}; the amounts ask {asked} yuan, more than the pool of {pool} yuan, so each is paid in proportion to its amount in fen ({})",
                a.basis
            )
        };
    }
    alloc.scaled_from_fen = Some(asked);
    Ok(alloc)
}

/// `base_fen` to each exemplar, and the rest of the pool shared equally, by score or by the
/// tier's weight (an exemplar whose tier has none is excluded); the cap holds for the whole.
fn base_plus_share(terms: Terms<'_>, kept: &[&Named]) -> Result<Allocation> {
    let Terms { policy, pool, cap, lang, .. } = terms;
    let missing =
        || Error::Argument(text!("基数加份额的奖补须设定base_fen", "a base_plus_share reward needs base_fen"));
    let base = Fen(policy.base_fen.ok_or_else(missing)?);
    let share = policy.share.unwrap_or_default();
    let mut claims = Vec::new();
    let mut out = Vec::new();
    for &n in kept {
        let weight = match share {
            Share::Equal => Some(1),
            Share::Score => Some(score_weight(n)),
            Share::Tier => n.tier.and_then(|t| policy.tiers.iter().find(|x| x.stars == t.get())).and_then(|t| t.weight),
        };
        match weight {
            Some(w) => claims.push(claim(n, w)),
            None => out.push(excluded(n, 0, no_tier(n, lang))),
        }
    }
    let bases = i128::from(base.0) * claims.len() as i128;
    if bases > i128::from(pool.0) {
        let (n, need) = (claims.len(), Fen(i64::try_from(bases).unwrap_or(i64::MAX)));
        return Err(Error::Argument(text!(
            "{n}个先进典型每个基数{base}元，共需{need}元，超过资金池{pool}元",
            "a base of {base} yuan for {n} exemplars needs {need} yuan, more than the pool of {pool} yuan"
        )));
    }
    let rest = Fen(pool.0 - bases as i64);
    let mut alloc = apportion(rest, &claims, Fen::ZERO, cap.map(|c| Fen(c.0 - base.0)), lang)?;
    let how = match share {
        Share::Equal => lang.pick("平均份额", "an equal share"),
        Share::Score => lang.pick("按得分计算的份额", "a share by score"),
        Share::Tier => lang.pick("按档次计算的份额", "a share by tier"),
    };
    for a in &mut alloc.awards {
        let total = Fen(base.0 + a.amount_fen.0);
        a.basis = match lang {
            Language::Zh => format!("基数{base}元 + 剩余{rest}元中的{how}（{}）= {total}元", a.basis),
            Language::En => format!("base {base} yuan + {how} of the rest {rest} yuan ({}) = {total} yuan", a.basis),
        };
        a.amount_fen = total;
    }
    alloc.pool_fen = pool;
    alloc.paid_fen = Fen(alloc.paid_fen.0 + bases as i64);
    alloc.awards.extend(out);
    Ok(alloc)
}

/// The pool apportioned across schemes or counties (fixed weights, or the number named in
/// each), each part paid within it under the policy; the rest is what all the parts leave.
fn pay_split(
    policy: &RewardPolicy,
    split: &SubPools,
    pool: Fen,
    named: &[&Named],
    lang: Language,
    group_name: &dyn Fn(&str) -> String,
) -> Result<Allocation> {
    let (zh, what, key): (&str, &str, fn(&Named) -> &str) = match split.by {
        SubPoolBy::Scheme => ("方案", "scheme", |n| n.scheme.as_str()),
        SubPoolBy::County => ("县（市）", "county", |n| n.county.as_str()),
    };
    let mut groups: BTreeMap<&str, Vec<&Named>> = BTreeMap::new();
    for &n in named {
        groups.entry(key(n)).or_default().push(n);
    }
    let weights: BTreeMap<&str, u64> = match split.split {
        Split::Named => groups.iter().map(|(g, m)| (*g, m.len() as u64)).collect(),
        Split::Fixed => {
            if let Some((g, m)) = groups.iter().find(|(g, _)| !split.shares.iter().any(|s| s.of == **g)) {
                let org = &m[0].org_id;
                return Err(Error::Argument(text!(
                    "`{org}`在{zh}`{g}`中被推荐，但该{zh}没有资金份额；凡有推荐对象的{zh}都应有份额",
                    "`{org}` is named in {what} `{g}`, which has no share of the pool; give every {what} that names an exemplar a share"
                )));
            }
            split.shares.iter().map(|s| (s.of.as_str(), s.weight)).collect()
        }
    };
    let claims: Vec<Claim> =
        weights.iter().map(|(g, w)| Claim { id: g.to_string(), scheme: None, weight: *w }).collect();
    let parts = apportion(pool, &claims, Fen::ZERO, None, lang)?;
    let within = RewardPolicy { sub_pools: None, ..policy.clone() };
    let mut alloc = Allocation::of(pool, Fen::ZERO, Vec::new());
    for part in parts.awards {
        let members = groups.get(part.id.as_str()).map_or(&[][..], Vec::as_slice);
        let paid = pay(&within, part.amount_fen, members, lang).map_err(|e| match e {
            Error::Argument(m) => {
                let (id, amount) = (&part.id, part.amount_fen);
                Error::Argument(Text::new(
                    format!("{zh}`{id}`的子资金池{amount}元：{}", m.zh),
                    format!("{what} `{id}`'s sub-pool of {amount} yuan: {}", m.en),
                ))
            }
            e => e,
        })?;
        let how = match split.split {
            Split::Named => lang.pick("按推荐数比例", "in proportion to the named"),
            Split::Fixed => lang.pick("按固定份额", "by fixed share"),
        };
        let nobody = match members.is_empty() {
            true => lang.pick("；此处无推荐对象，全部结余", "; nobody is named here, so all of it is rest"),
            false => "",
        };
        let group = group_name(&part.id);
        alloc.sub_pools.push(SubPool {
            of: part.id.clone(),
            weight: part.weight,
            pool_fen: paid.pool_fen,
            paid_fen: paid.paid_fen,
            rest_fen: paid.rest_fen,
            scaled_from_fen: paid.scaled_from_fen,
            basis: format!("{how}{}{}{nobody}", lang.pick("：", ": "), part.basis),
        });
        alloc.paid_fen = Fen(alloc.paid_fen.0 + paid.paid_fen.0);
        alloc.awards.extend(paid.awards.into_iter().map(|a| Award {
            sub_pool: Some(part.id.clone()),
            basis: match lang {
                Language::Zh => format!("{group}子资金池：{}", a.basis),
                Language::En => format!("{what} {group}'s sub-pool: {}", a.basis),
            },
            ..a
        }));
    }
    alloc.rest_fen = Fen(pool.0 - alloc.paid_fen.0);
    alloc.awards.sort_by(|a, b| (&a.id, &a.scheme).cmp(&(&b.id, &b.scheme)));
    Ok(alloc)
}
