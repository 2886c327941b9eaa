//! sklearn's `simultaneous_sort` with the 3-way partition (`utils/_sorting.pyx`): an unstable
//! introsort whose exact permutation of equal values decides the order in which samples are
//! summed. Only that order makes non-integer regression sums bit-identical, so it is followed
//! step for step rather than replaced by a library sort.

/// Sorts `values` ascending and applies the same permutation to `indices`.
pub(crate) fn simultaneous_sort(values: &mut [f32], indices: &mut [u32]) {
    let n = values.len();
    if n == 0 {
        return;
    }
    let maxd = 2 * ((n as f64).log2() as usize);
    introsort_3way(values, indices, maxd);
}

fn introsort_3way(mut values: &mut [f32], mut indices: &mut [u32], mut maxd: usize) {
    while values.len() > 15 {
        if maxd == 0 {
            heapsort(values, indices);
            return;
        }
        maxd -= 1;
        let pivot = median3(values);
        let (mut i, mut l, mut r) = (0, 0, values.len());
        while i < r {
            if values[i] < pivot {
                values.swap(i, l);
                indices.swap(i, l);
                i += 1;
                l += 1;
            } else if values[i] > pivot {
                r -= 1;
                values.swap(i, r);
                indices.swap(i, r);
            } else {
                i += 1;
            }
        }
        let (left_values, right_values) = std::mem::take(&mut values).split_at_mut(r);
        let (left_indices, right_indices) = std::mem::take(&mut indices).split_at_mut(r);
        introsort_3way(&mut left_values[..l], &mut left_indices[..l], maxd);
        values = right_values;
        indices = right_indices;
    }
    insertion_sort(values, indices);
}

fn median3(v: &[f32]) -> f32 {
    let (a, b, c) = (v[0], v[v.len() / 2], v[v.len() - 1]);
    if a < b {
        if b < c {
            b
        } else if a < c {
            c
        } else {
            a
        }
    } else if b < c {
        if a < c {
            a
        } else {
            c
        }
    } else {
        b
    }
}

fn insertion_sort(values: &mut [f32], indices: &mut [u32]) {
    for i in 1..values.len() {
        let (v, idx) = (values[i], indices[i]);
        let mut j = i;
        while j > 0 && values[j - 1] > v {
            values[j] = values[j - 1];
            indices[j] = indices[j - 1];
            j -= 1;
        }
        values[j] = v;
        indices[j] = idx;
    }
}

fn heapsort(values: &mut [f32], indices: &mut [u32]) {
    let n = values.len();
    let mut start = (n - 2) / 2;
    loop {
        sift_down(values, indices, start, n);
        if start == 0 {
            break;
        }
        start -= 1;
    }
    let mut end = n - 1;
    while end > 0 {
        values.swap(0, end);
        indices.swap(0, end);
        sift_down(values, indices, 0, end);
        end -= 1;
    }
}

fn sift_down(values: &mut [f32], indices: &mut [u32], start: usize, end: usize) {
    let mut root = start;
    loop {
        let child = root * 2 + 1;
        let mut max = root;
        if child < end && values[max] < values[child] {
            max = child;
        }
        if child + 1 < end && values[max] < values[child + 1] {
            max = child + 1;
        }
        if max == root {
            break;
        }
        values.swap(root, max);
        indices.swap(root, max);
        root = max;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_values_and_carries_indices() {
        let mut state = 7u32;
        for n in [0usize, 1, 2, 15, 16, 17, 100, 1000] {
            let mut values: Vec<f32> = (0..n)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((state >> 16) % 13) as f32
                })
                .collect();
            let original = values.clone();
            let mut indices: Vec<u32> = (0..n as u32).collect();
            simultaneous_sort(&mut values, &mut indices);
            assert!(values.windows(2).all(|w| w[0] <= w[1]));
            for (v, &i) in values.iter().zip(&indices) {
                assert_eq!(*v, original[i as usize]);
            }
        }
    }

    #[test]
    fn leaves_ties_in_sklearns_order() {
        // make_fixtures.py records the permutation sklearn's own simultaneous_sort leaves.
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("../tests/data/sklearn_trees.json")).expect("json");
        let ints = |k: &str| -> Vec<u64> {
            fixture["sort"][k].as_array().expect(k).iter().filter_map(|v| v.as_u64()).collect()
        };
        let mut values: Vec<f32> = ints("values").iter().map(|&v| v as f32).collect();
        let mut indices: Vec<u32> = (0..values.len() as u32).collect();
        simultaneous_sort(&mut values, &mut indices);
        let want: Vec<u32> = ints("permutation").iter().map(|&v| v as u32).collect();
        assert_eq!(values.len(), 300);
        assert_eq!(indices, want);
    }

    #[test]
    fn heapsort_fallback_sorts() {
        let mut values: Vec<f32> = (0..40).rev().map(|v| (v % 9) as f32).collect();
        let mut indices: Vec<u32> = (0..40).collect();
        heapsort(&mut values, &mut indices);
        assert!(values.windows(2).all(|w| w[0] <= w[1]));
    }
}
