//! Rewards for the named exemplars (以奖代补) under the program's reward policy: equal shares,
//! a fixed amount per star tier, or in proportion to score, above an optional threshold.

use crate::allocate::{Allocation, Award, Claim, Landing, apportion, fixed};
use crate::error::Result;
use crate::money::Fen;
use crate::points::Points;
use crate::policy::RewardKind;
use crate::program::Program;
use crate::select::Selection;

impl Program {
    /// Pays `settings.reward_pool_fen` to the named exemplars; every award states its basis.
    pub fn reward(&self, selection: &Selection) -> Result<Allocation> {
        let policy = self.file().reward.clone().unwrap_or_default();
        let pool = Fen(self.file().settings.reward_pool_fen);
        let (floor, cap) = (Fen(policy.floor_fen.unwrap_or(0)), policy.cap_fen.map(Fen));
        let threshold = policy.threshold.map(Points::round);
        let mut claims = Vec::new();
        let mut excluded = Vec::new();
        for n in &selection.named {
            let weight = match policy.kind {
                RewardKind::Equal | RewardKind::Tiered => 1,
                RewardKind::Proportional => n.total.hundredths().max(0) as u64,
            };
            let claim = Claim { id: n.org_id.clone(), scheme: Some(n.scheme.clone()), weight };
            let tier_fen = n.tier.and_then(|t| policy.tiers.iter().find(|x| x.stars == t.get())).map(|x| Fen(x.fen));
            let why_not = match (threshold.filter(|t| n.total < *t), policy.kind, tier_fen) {
                (Some(t), _, _) => Some(format!("score {} is below the reward threshold {t}", n.total)),
                (None, RewardKind::Tiered, None) => {
                    Some(format!("no reward tier for {}", n.tier.map_or("unrated".into(), |t| t.to_string())))
                }
                _ => None,
            };
            match why_not {
                Some(basis) => excluded.push(Award {
                    id: claim.id,
                    scheme: claim.scheme,
                    weight,
                    amount: Fen::ZERO,
                    landing: Landing::Excluded,
                    basis,
                }),
                None => claims.push((claim, tier_fen.unwrap_or(Fen::ZERO), n.total, n.tier)),
            }
        }
        let bare: Vec<Claim> = claims.iter().map(|c| c.0.clone()).collect();
        let mut alloc = match policy.kind {
            RewardKind::Tiered => {
                fixed(pool, &claims.iter().map(|c| (c.0.clone(), c.1)).collect::<Vec<_>>(), floor, cap)?
            }
            _ => apportion(pool, &bare, floor, cap)?,
        };
        for a in &mut alloc.awards {
            if let Some(c) = claims.iter().find(|c| c.0.id == a.id && c.0.scheme == a.scheme) {
                let tier = c.3.map_or("unrated".into(), |t| t.to_string());
                a.basis = match policy.kind {
                    RewardKind::Proportional => format!("score {}: {}", c.2, a.basis),
                    RewardKind::Equal => format!("equal share: {}", a.basis),
                    RewardKind::Tiered => format!("{tier} tier: {}", a.basis),
                };
            }
        }
        alloc.awards.extend(excluded);
        alloc.awards.sort_by(|a, b| (&a.id, &a.scheme).cmp(&(&b.id, &b.scheme)));
        Ok(alloc)
    }
}
