//! Summing the trees' outputs for many rows: the walks of [`Compiled`] in blocks, then each
//! row's leaf outputs added in tree order, as sklearn adds them, so sums match it bit for bit.

use rayon::prelude::*;

use crate::compiled::{has_nan, Compiled, LANES};
use crate::Aggregation;

/// Rows walked through one tree before the next: few enough that their features and leaf
/// offsets stay in L1 while the tree's nodes are reused.
const BLOCK: usize = 256;
/// Trees walked before their outputs are added: bounds the offsets kept per block.
const TREES: usize = 64;
/// Rows per parallel task: a fifth of a millisecond for the tutorial's forest, far more than
/// rayon's hand-over costs. Fewer rows than two tasks' worth stay on the caller's thread.
const TASK: usize = 4 * BLOCK;

/// Per row (`width` features each), the sum of the trees' outputs in tree order: `score_width`
/// values a row. For a mean, the sum before the division by the tree count; for boosting, the
/// raw additive scores. `routes_nan` says whether rows may hold NaN at all (a model that refuses
/// NaN has had its rows checked already, so they are not scanned again).
pub(crate) fn scores(
    compiled: &Compiled,
    aggregation: &Aggregation,
    rows: &[f32],
    width: usize,
    score_width: usize,
    routes_nan: bool,
) -> Vec<f64> {
    let n = rows.len() / width;
    let n_trees = compiled.n_trees();
    let mut scores = vec![0.0; n * score_width];
    if let Aggregation::Additive { init, .. } = aggregation {
        scores.chunks_exact_mut(score_width).for_each(|row| row.copy_from_slice(init));
    }
    let adder = Adder { compiled, aggregation, score_width };
    if n < LANES {
        // Too few rows to fill the lanes: each row walks its trees side by side instead.
        let mut offsets = [0u32; TREES];
        for (row, acc) in rows.chunks_exact(width).zip(scores.chunks_exact_mut(score_width)) {
            let nan = routes_nan && has_nan(row);
            for first in (0..n_trees).step_by(TREES) {
                let trees = TREES.min(n_trees - first);
                compiled.row_leaf_offsets(row, first, &mut offsets[..trees], nan);
                adder.add(first, trees, acc, &offsets, 0, 1);
            }
        }
        return scores;
    }
    if n < 2 * TASK {
        blocks(&adder, rows, width, &mut scores, routes_nan);
    } else {
        // Big batches use the threads of rayon's current pool (all cores unless the caller
        // installed a smaller pool); every row's sum is the same on any thread.
        scores
            .par_chunks_mut(score_width * TASK)
            .zip(rows.par_chunks(width * TASK))
            .for_each(|(acc, rows)| blocks(&adder, rows, width, acc, routes_nan));
    }
    scores
}

/// The many-rows path: blocks of [`BLOCK`] rows, each walked through one tree at a time.
fn blocks(adder: &Adder<'_>, rows: &[f32], width: usize, scores: &mut [f64], routes_nan: bool) {
    let (compiled, score_width) = (adder.compiled, adder.score_width);
    let n_trees = compiled.n_trees();
    // offsets[t * BLOCK + r]: the leaf row r of the block reaches in tree first + t.
    let mut offsets = vec![0u32; TREES.min(n_trees) * BLOCK];
    for (block, acc) in rows.chunks(width * BLOCK).zip(scores.chunks_mut(score_width * BLOCK)) {
        let block_rows = block.len() / width;
        let nan = routes_nan && has_nan(block);
        for first in (0..n_trees).step_by(TREES) {
            let trees = TREES.min(n_trees - first);
            for t in 0..trees {
                let out = &mut offsets[t * BLOCK..t * BLOCK + block_rows];
                compiled.leaf_offsets(first + t, block, width, out, nan);
            }
            for (r, acc) in acc.chunks_exact_mut(score_width).enumerate() {
                adder.add(first, trees, acc, &offsets, r, BLOCK);
            }
        }
    }
}

struct Adder<'a> {
    compiled: &'a Compiled,
    aggregation: &'a Aggregation,
    score_width: usize,
}

impl Adder<'_> {
    /// Adds to one row's scores `acc` the outputs of trees `first..first + trees`, whose leaf
    /// offsets for this row are `offsets[r + t * stride]`.
    #[inline(always)]
    fn add(
        &self,
        first: usize,
        trees: usize,
        acc: &mut [f64],
        offsets: &[u32],
        r: usize,
        stride: usize,
    ) {
        let leaves = (0..trees).map(|t| offsets[r + t * stride]);
        match self.aggregation {
            Aggregation::Mean => match self.score_width {
                // The common widths get a fixed-size sum the compiler keeps in registers.
                1 => self.add_mean::<1>(acc, leaves),
                2 => self.add_mean::<2>(acc, leaves),
                3 => self.add_mean::<3>(acc, leaves),
                4 => self.add_mean::<4>(acc, leaves),
                5 => self.add_mean::<5>(acc, leaves),
                6 => self.add_mean::<6>(acc, leaves),
                7 => self.add_mean::<7>(acc, leaves),
                8 => self.add_mean::<8>(acc, leaves),
                _ => {
                    for at in leaves {
                        acc.iter_mut().zip(self.compiled.leaf_at(at)).for_each(|(a, v)| *a += v);
                    }
                }
            },
            Aggregation::Additive { learning_rate, tree_outputs, .. } => {
                for (t, at) in (first..).zip(leaves) {
                    acc[tree_outputs[t] as usize] += learning_rate * self.compiled.leaf_at(at)[0];
                }
            }
        }
    }

    #[inline]
    fn add_mean<const W: usize>(&self, acc: &mut [f64], leaves: impl Iterator<Item = u32>) {
        let mut sum = [0.0; W];
        sum.copy_from_slice(acc);
        for at in leaves {
            let v = self.compiled.leaf_at(at);
            for (s, v) in sum.iter_mut().zip(&v[..W]) {
                *s += v;
            }
        }
        acc.copy_from_slice(&sum);
    }
}
