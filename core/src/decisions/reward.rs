//! Rewards for the named exemplars (以奖代补) under the program's reward policy: equal shares,
//! a fixed amount per star tier, or in proportion to score, above an optional threshold.

use crate::decisions::allocate::{Allocation, Award, Claim, Landing, apportion_above, fixed};
use crate::decisions::money::Fen;
use crate::decisions::select::Selection;
use crate::error::Result;
use crate::rules::policy::RewardKind;
use crate::rules::program::Program;
use crate::scoring::points::Points;

impl Program {
    /// Pays `settings.reward_pool_fen` to the named exemplars; every award states its basis.
    /// See [`Program::select`] for an example.
    pub fn reward(&self, selection: &Selection) -> Result<Allocation> {
        let policy = self.file().reward.clone().unwrap_or_default();
        let pool = Fen(self.file().settings.reward_pool_fen);
        let (floor, cap) = (Fen(policy.floor_fen.unwrap_or(0)), policy.cap_fen.map(Fen));
        let threshold = policy.threshold.map(Points::round);
        if policy.kind != RewardKind::Tiered {
            // Weighted by score in hundredths, so the threshold compares scores.
            let claims: Vec<Claim> = selection
                .named
                .iter()
                .map(|n| Claim {
                    id: n.org_id.clone(),
                    scheme: Some(n.scheme.clone()),
                    weight: n.score.hundredths().max(0) as u64,
                })
                .collect();
            let t = threshold.map(|t| t.hundredths().max(0) as u64);
            let mut alloc = apportion_above(pool, &claims, t, policy.kind == RewardKind::Equal, floor, cap)?;
            for a in &mut alloc.awards {
                let score = Points(a.weight as i64);
                a.basis = match (a.landing, policy.kind) {
                    (Landing::Excluded, _) => {
                        format!("score {score} is below the reward threshold {}", threshold.unwrap_or_default())
                    }
                    (_, RewardKind::Equal) => format!("equal share: {}", a.basis),
                    _ => format!("score {score}: {}", a.basis),
                };
            }
            return Ok(alloc);
        }
        let mut claims = Vec::new();
        let mut excluded = Vec::new();
        for n in &selection.named {
            let claim = Claim { id: n.org_id.clone(), scheme: Some(n.scheme.clone()), weight: 1 };
            let tier_fen = n.tier.and_then(|t| policy.tiers.iter().find(|x| x.stars == t.get())).map(|x| Fen(x.fen));
            let why_not = match (threshold.filter(|t| n.score < *t), tier_fen) {
                (Some(t), _) => Some(format!("score {} is below the reward threshold {t}", n.score)),
                (None, None) => {
                    Some(format!("no reward tier for {}", n.tier.map_or("unrated".into(), |t| t.to_string())))
                }
                (None, Some(_)) => None,
            };
            match why_not {
                Some(basis) => excluded.push(Award {
                    id: claim.id,
                    scheme: claim.scheme,
                    weight: 1,
                    amount_fen: Fen::ZERO,
                    landing: Landing::Excluded,
                    basis,
                }),
                None => claims.push((claim, tier_fen.unwrap_or(Fen::ZERO), n.tier)),
            }
        }
        let mut alloc = fixed(pool, &claims.iter().map(|c| (c.0.clone(), c.1)).collect::<Vec<_>>(), floor, cap)?;
        for a in &mut alloc.awards {
            if let Some(c) = claims.iter().find(|c| c.0.id == a.id && c.0.scheme == a.scheme) {
                a.basis = format!("{} tier: {}", c.2.map_or("unrated".into(), |t| t.to_string()), a.basis);
            }
        }
        alloc.awards.extend(excluded);
        alloc.awards.sort_by(|a, b| (&a.id, &a.scheme).cmp(&(&b.id, &b.scheme)));
        Ok(alloc)
    }
}
