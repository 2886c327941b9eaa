//! numpy's legacy `RandomState`: MT19937 and the masked-rejection `randint`.
//!
//! sklearn derives every random choice of a forest from these draws (per-tree seeds, bootstrap
//! rows, the splitter's seed), so they must match numpy bit for bit; a modulo or a different
//! rejection rule changes the trees from the first draw on.

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// `numpy.random.RandomState(seed)` for an integer seed.
#[derive(Clone)]
pub struct RandomState {
    mt: [u32; N],
    index: usize,
}

impl std::fmt::Debug for RandomState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RandomState").field("index", &self.index).finish_non_exhaustive()
    }
}

impl RandomState {
    /// Seeds the generator as numpy does for an integer seed (`init_genrand`).
    pub fn new(seed: u32) -> RandomState {
        let mut mt = [0u32; N];
        mt[0] = seed;
        for i in 1..N {
            let prev = mt[i - 1];
            mt[i] = 1_812_433_253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        RandomState { mt, index: N }
    }

    fn twist(&mut self) {
        let mt = &mut self.mt;
        for i in 0..N {
            let y = (mt[i] & UPPER_MASK) | (mt[(i + 1) % N] & LOWER_MASK);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            mt[i] = mt[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// The next 32-bit output (`genrand_int32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        (hi << 32) | u64::from(self.next_u32())
    }

    /// `randint(low, high)`: an integer in `[low, high)`, drawn as numpy's legacy path does.
    ///
    /// # Panics
    /// When `high <= low`, as numpy raises.
    pub fn randint(&mut self, low: i64, high: i64) -> i64 {
        assert!(high > low, "randint needs low < high");
        let range = (high - low - 1) as u64;
        if range == 0 {
            return low;
        }
        // numpy masks with the smallest all-ones value covering the range and rejects draws
        // above it; 32-bit ranges consume one 32-bit output per attempt.
        let mask = u64::MAX >> range.leading_zeros();
        let offset = if range <= u64::from(u32::MAX) {
            if range == u64::from(u32::MAX) {
                u64::from(self.next_u32())
            } else {
                loop {
                    let v = u64::from(self.next_u32()) & mask;
                    if v <= range {
                        break v;
                    }
                }
            }
        } else if range == u64::MAX {
            self.next_u64()
        } else {
            loop {
                let v = self.next_u64() & mask;
                if v <= range {
                    break v;
                }
            }
        };
        low.wrapping_add(offset as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::RandomState;

    #[test]
    fn forest_seeds_match_numpy() {
        // numpy: RandomState(42).randint(2**31 - 1, size=5)
        let mut rs = RandomState::new(42);
        let got: Vec<i64> = (0..5).map(|_| rs.randint(0, (1 << 31) - 1)).collect();
        assert_eq!(got, [1608637542, 1273642419, 1935803228, 787846414, 996406378]);
    }

    #[test]
    fn bootstrap_draws_match_numpy() {
        // numpy: RandomState(42).randint(0, 6497, size=10)
        let mut rs = RandomState::new(42);
        let got: Vec<i64> = (0..10).map(|_| rs.randint(0, 6497)).collect();
        assert_eq!(got, [860, 5390, 5226, 5191, 3772, 3092, 5734, 6265, 466, 5334]);
    }

    #[test]
    fn small_ranges_and_other_seeds_match_numpy() {
        // numpy: RandomState(0).randint(0, 2**31 - 1)
        assert_eq!(RandomState::new(0).randint(0, (1 << 31) - 1), 209652396);
        // numpy: rs = RandomState(1234); rs.randint(0, 7, size=10); rs.randint(0, 1000, size=5)
        let mut rs = RandomState::new(1234);
        let a: Vec<i64> = (0..10).map(|_| rs.randint(0, 7)).collect();
        let b: Vec<i64> = (0..5).map(|_| rs.randint(0, 1000)).collect();
        assert_eq!(a, [3, 6, 5, 4, 4, 0, 1, 1, 1, 2]);
        assert_eq!(b, [30, 683, 158, 748, 892]);
    }

    #[test]
    fn raw_outputs_match_the_reference_mt19937() {
        // The reference implementation's first output for init_genrand(5489).
        assert_eq!(RandomState::new(5489).next_u32(), 3499211612);
    }
}
