//! Drills: a timed round of katas drawn by a seed. The draw uses SplitMix64, written here, so
//! the same seed gives the same round on every machine and every build.

use crate::kata::Catalog;

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny PRNG whose stream is fixed by its seed.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0), by rejection so that every value is equally likely.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// The katas of a round: `count` catalog indexes drawn without repetition by `seed` from the
/// katas of `topics` (all topics when empty), in draw order. Fewer when fewer match.
pub fn choose(catalog: &Catalog, count: usize, topics: &[String], seed: u64) -> Vec<usize> {
    // Ids in sorted order, so the draw depends only on which katas exist, not on load order.
    let mut pool: Vec<(&str, usize)> = catalog
        .katas()
        .iter()
        .enumerate()
        .filter(|(_, k)| topics.is_empty() || topics.contains(&k.topic))
        .map(|(i, k)| (k.id.as_str(), i))
        .collect();
    pool.sort_unstable();
    let mut rng = SplitMix64::new(seed);
    // A partial Fisher–Yates shuffle.
    let count = count.min(pool.len());
    for i in 0..count {
        let j = i + rng.below((pool.len() - i) as u64) as usize;
        pool.swap(i, j);
    }
    pool.into_iter().take(count).map(|(_, i)| i).collect()
}

/// A seed from the clock, for a round that was not given one.
pub fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    // Short enough to read out to a class.
    SplitMix64::new(nanos as u64).next_u64() % 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_stream() {
        // The reference implementation's first outputs for seed 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        let got: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            got,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
    }

    #[test]
    fn the_same_seed_draws_the_same_round() {
        let (catalog, _) = Catalog::bundled();
        let a = choose(&catalog, 5, &[], 42);
        assert_eq!(a, choose(&catalog, 5, &[], 42));
        assert_eq!(a.len(), 5.min(catalog.katas().len()));
        let mut unique = a.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), a.len(), "no kata twice");
        let basics = choose(&catalog, 100, &["basics".to_string()], 7);
        assert!(basics.iter().all(|&i| catalog.katas()[i].topic == "basics"));
        assert_eq!(
            basics.len(),
            catalog
                .katas()
                .iter()
                .filter(|k| k.topic == "basics")
                .count()
        );
        assert!(choose(&catalog, 3, &["no-such-topic".to_string()], 1).is_empty());
    }
}
