//! Synthetic data for `secondments seed`: a seeded random generator,
//! Vietnamese names and the plan of each official's postings. Everything
//! here is a pure function of the seed, the sizes and "today", so two runs
//! with one seed on one day produce the same data.

pub mod names;
pub mod plan;
pub mod units;

use chrono::NaiveDateTime;

/// SplitMix64: tiny, fast and fixed forever (a library generator may change
/// its stream between versions, which would change what a seed means).
#[derive(Debug, Clone)]
pub struct SeedRng(u64);

impl SeedRng {
    /// A generator for one seed.
    pub fn new(seed: u64) -> Self {
        SeedRng(seed)
    }

    /// An independent stream for one entity (`stream` names the kind of
    /// thing, `index` the thing), so what one official gets does not depend
    /// on how many came before or on batch sizes.
    pub fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let mut r = SeedRng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        let base = r.next_u64();
        let mut r = SeedRng(base ^ index.wrapping_mul(0xE703_7ED1_A0B4_28DB));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift: unbiased enough for synthetic data, no division.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when the range is empty).
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + self.below(span) as i64
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, `None` when there are none.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// One of the words of a list (empty when the list is).
    pub fn word(&mut self, words: &[&'static str]) -> &'static str {
        self.pick(words).copied().unwrap_or("")
    }

    /// One value drawn by weight (`fallback` when all weights are 0).
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u64)], fallback: T) -> T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total);
        for (item, w) in items {
            if roll < *w {
                return *item;
            }
            roll -= w;
        }
        fallback
    }

    /// A UUID v7 whose time part is `at` and whose random part comes from
    /// this generator: ids sort by creation time like the application's.
    pub fn uuid_v7(&mut self, at: NaiveDateTime) -> String {
        let millis = u64::try_from(at.and_utc().timestamp_millis()).unwrap_or(0);
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(millis, &bytes)
            .into_uuid()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..5)
            .map(|i| SeedRng::derive(7, 1, i).next_u64())
            .collect();
        let b: Vec<u64> = (0..5)
            .map(|i| SeedRng::derive(7, 1, i).next_u64())
            .collect();
        let c: Vec<u64> = (0..5)
            .map(|i| SeedRng::derive(8, 1, i).next_u64())
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 5);
    }

    #[test]
    fn ranges_stay_inside() {
        let mut r = SeedRng::new(1);
        for _ in 0..1000 {
            let v = r.between(-3, 4);
            assert!((-3..=4).contains(&v));
            assert!(r.below(7) < 7);
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.between(5, 2), 5);
        assert_eq!(r.pick::<u8>(&[]), None);
        assert_eq!(r.weighted(&[('a', 0)], 'z'), 'z');
    }

    #[test]
    fn ids_are_v7_and_time_ordered() {
        let mut r = SeedRng::new(3);
        let t1 = chrono::NaiveDate::from_ymd_opt(2021, 4, 1)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap();
        let a = r.uuid_v7(t1);
        let b = r.uuid_v7(t1 + chrono::Duration::days(1));
        assert!(a < b);
        assert_eq!(uuid::Uuid::parse_str(&a).unwrap().get_version_num(), 7);
    }
}
