//! Money as whole fen (分) in an `i64`. Every amount the library computes is a `Fen`; no float
//! ever holds money. Shown as yuan with two decimals: `Fen(200_000_000)` is "2,000,000.00".

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in whole fen (1 yuan = 100 fen); never a float.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    /// No money.
    pub const ZERO: Fen = Fen(0);

    /// Whole yuan as fen; `None` if it overflows.
    pub fn from_yuan(yuan: i64) -> Option<Fen> {
        yuan.checked_mul(100).map(Fen)
    }

    /// The sum; `None` if it overflows.
    pub fn checked_add(self, o: Fen) -> Option<Fen> {
        self.0.checked_add(o.0).map(Fen)
    }

    /// The difference; `None` if it overflows.
    pub fn checked_sub(self, o: Fen) -> Option<Fen> {
        self.0.checked_sub(o.0).map(Fen)
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0.unsigned_abs();
        let yuan = (a / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{}{grouped}.{:02}", if self.0 < 0 { "-" } else { "" }, a % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_yuan_with_thousands() {
        assert_eq!(Fen(200_000_000).to_string(), "2,000,000.00");
        assert_eq!(Fen(1).to_string(), "0.01");
        assert_eq!(Fen(-123_456).to_string(), "-1,234.56");
        assert_eq!(Fen(i64::MIN).to_string(), "-92,233,720,368,547,758.08");
        assert_eq!(Fen::from_yuan(2_000_000), Some(Fen(200_000_000)));
        assert_eq!(Fen::from_yuan(i64::MAX), None);
    }
}
