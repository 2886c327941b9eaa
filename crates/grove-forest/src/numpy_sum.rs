//! numpy's pairwise summation, reproduced because sklearn normalises tree distributions with
//! `np.sum` and a plain left-to-right sum rounds differently.

/// `np.sum` of a contiguous float64 row, in numpy's order (pairwise with eight accumulators),
/// so that normalised probabilities match sklearn's bit for bit.
pub fn numpy_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut r = -0.0;
        for &x in a {
            r += x;
        }
        r
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let full = n - n % 8;
        let mut i = 8;
        while i < full {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[full..] {
            res += x;
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % 8;
        numpy_sum(&a[..half]) + numpy_sum(&a[half..])
    }
}

#[cfg(test)]
mod tests {
    use super::numpy_sum;

    #[test]
    fn sums_like_numpy_not_left_to_right() {
        // numpy: np.array([[1.0] + [1e-16] * 7 + [0.0]]).sum(axis=1) == 1.0000000000000007,
        // where a left-to-right sum gives 1.0.
        let a = [1.0, 1e-16, 1e-16, 1e-16, 1e-16, 1e-16, 1e-16, 1e-16, 0.0];
        assert_eq!(numpy_sum(&a), 1.0000000000000007);
        assert_eq!(a.iter().fold(0.0, |s, x| s + x), 1.0);
        assert_eq!(numpy_sum(&[0.25, 0.5, 0.25]), 1.0);
    }
}
