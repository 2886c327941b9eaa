//! The inference layout: every tree's nodes in one array of 12-byte nodes whose two children sit
//! side by side, leaf outputs in one flat array. Built once from validated [`crate::Tree`]s.
//!
//! Walking a tree is a chain of dependent loads, so the time goes to memory latency, not to
//! arithmetic. The walks here hide it by running many independent walks in lockstep (rows of a
//! block through one tree, or one row through many trees), each step free of branches: a leaf
//! points to itself, so a finished walk just stays put until the slowest one arrives.

use crate::{ForestParts, Tree};

/// Walks that step together: enough independent loads in flight to cover an L2 hit.
pub(crate) const LANES: usize = 16;

/// One node. A split sends `x > threshold` to `left + 1` and everything else to `left`
/// (its children are adjacent); a leaf has `left` equal to its own index and an infinite
/// threshold, so stepping from it stays on it.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
struct Node {
    threshold: f32,
    feature: u32,
    left: u32,
}

/// The largest feature count a node can index.
pub(crate) const MAX_FEATURES: usize = u32::MAX as usize;

#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    nodes: Vec<Node>,
    roots: Vec<u32>,
    /// Where a NaN goes at each node, read only for rows that hold a NaN (the plain step sends
    /// NaN to `left`, since `NaN > t` is false).
    missing_left: Vec<bool>,
    /// Per node: the offset of its outputs in `leaf_values` (leaves only).
    leaf_offset: Vec<u32>,
    /// Per node: its index in the tree as given (sklearn's node id), for decision paths.
    source_id: Vec<u32>,
    /// Per-leaf outputs, `width` values each: what that tree contributes.
    leaf_values: Vec<f64>,
    pub(crate) width: usize,
    n_features: usize,
}

/// The float32 threshold that decides exactly as sklearn's float64 one does for float32 inputs:
/// the largest float32 `t32` with `t32 as f64 <= t`, so `x <= t32` iff `x as f64 <= t`.
pub(crate) fn f32_threshold(t: f64) -> f32 {
    let c = t as f32;
    if f64::from(c) > t {
        c.next_down()
    } else {
        c
    }
}

/// Whether any value is NaN; written as a branch-free reduction so it vectorises.
pub(crate) fn has_nan(values: &[f32]) -> bool {
    values.iter().fold(false, |seen, x| seen | x.is_nan())
}

impl Compiled {
    pub(crate) fn new(parts: &ForestParts) -> Compiled {
        let width = parts.value_width();
        let total: usize = parts.trees.iter().map(Tree::node_count).sum();
        let mut c = Compiled {
            nodes: Vec::with_capacity(total),
            roots: Vec::with_capacity(parts.trees.len()),
            missing_left: Vec::with_capacity(total),
            leaf_offset: Vec::with_capacity(total),
            source_id: Vec::with_capacity(total),
            leaf_values: Vec::new(),
            width,
            n_features: parts.schema.features.len(),
        };
        for tree in &parts.trees {
            c.push_tree(tree, width);
        }
        // What `walk` relies on to skip bounds checks; validation guarantees it, this proves it.
        // (`x > threshold` can only hold, and send a walk to `left + 1`, below +inf.)
        let ok = c.nodes.iter().all(|n| {
            (n.left as usize) + usize::from(n.threshold < f32::INFINITY) < c.nodes.len()
                && (n.feature as usize) < c.n_features
        });
        assert!(ok, "a compiled node points outside the forest");
        c
    }

    /// Appends `tree` depth first, giving each split's two children adjacent slots, so a
    /// subtree stays close together in memory.
    fn push_tree(&mut self, tree: &Tree, width: usize) {
        let root = self.nodes.len() as u32;
        self.roots.push(root);
        // (source node, slot it was given)
        let mut stack = vec![(0usize, root)];
        self.push_slots(1);
        while let Some((src, slot)) = stack.pop() {
            let at = slot as usize;
            self.source_id[at] = src as u32;
            if tree.is_leaf(src) {
                self.leaf_offset[at] = self.leaf_values.len() as u32;
                self.leaf_values.extend_from_slice(&tree.value[src * width..(src + 1) * width]);
                self.nodes[at] = Node { threshold: f32::INFINITY, feature: 0, left: slot };
                continue;
            }
            let left = self.nodes.len() as u32;
            self.push_slots(2);
            self.nodes[at] = Node {
                threshold: f32_threshold(tree.threshold[src]),
                feature: tree.feature[src] as u32,
                left,
            };
            self.missing_left[at] = tree.missing_go_to_left[src];
            stack.push((tree.children_right[src] as usize, left + 1));
            stack.push((tree.children_left[src] as usize, left));
        }
    }

    fn push_slots(&mut self, n: usize) {
        let blank = Node { threshold: 0.0, feature: 0, left: 0 };
        self.nodes.extend(std::iter::repeat_n(blank, n));
        self.missing_left.extend(std::iter::repeat_n(false, n));
        self.leaf_offset.extend(std::iter::repeat_n(0, n));
        self.source_id.extend(std::iter::repeat_n(0, n));
    }

    pub(crate) fn n_trees(&self) -> usize {
        self.roots.len()
    }

    /// Steps up to [`LANES`] walks to their leaves: walk `l` starts at node `at[l]` and reads
    /// its features from `rows[base[l]..]`. No row may hold a NaN (see [`Compiled::walk_nan`]).
    ///
    /// This is the one place grove reads without bounds checks: with them the loop does not
    /// unroll and runs 30% slower. Soundness rests on two checks: [`Compiled::new`] asserts
    /// that every node's children and feature index are in range, and the entry check below
    /// that every walk starts at a node and has a whole row to read.
    #[inline]
    #[allow(unsafe_code)]
    fn walk<const L: usize>(&self, at: &mut [u32; L], base: &[usize; L], rows: &[f32]) {
        for (&id, &b) in at.iter().zip(base) {
            assert!((id as usize) < self.nodes.len() && b + self.n_features <= rows.len());
        }
        loop {
            let mut moved = 0;
            // Two steps between checks: a finished walk stays on its leaf, so an extra step is
            // harmless and the check costs half as much.
            for _ in 0..2 {
                moved = 0;
                for (id, &b) in at.iter_mut().zip(base) {
                    // SAFETY: `*id` is a node index: it started as one (entry check) and each
                    // step moves to `left` or `left + 1`, both nodes (asserted in `new`).
                    let node = unsafe { *self.nodes.get_unchecked(*id as usize) };
                    // SAFETY: `node.feature < n_features` (asserted in `new`) and the row at
                    // `b` has `n_features` values (entry check).
                    let x = unsafe { *rows.get_unchecked(b + node.feature as usize) };
                    let next = node.left + u32::from(x > node.threshold);
                    moved |= next ^ *id;
                    *id = next;
                }
            }
            if moved == 0 {
                return;
            }
        }
    }

    /// One walk from `at` for a row that may hold NaN, with sklearn's rule: NaN goes where the
    /// split says, otherwise `x <= threshold` goes left.
    fn walk_nan(&self, mut at: u32, row: &[f32]) -> u32 {
        loop {
            let next = self.step_nan(at, row);
            if next == at {
                return at;
            }
            at = next;
        }
    }

    /// One step of [`Compiled::walk_nan`]; a leaf steps to itself.
    #[inline]
    fn step_nan(&self, at: u32, row: &[f32]) -> u32 {
        let node = self.nodes[at as usize];
        if node.left == at {
            return at;
        }
        let x = row[node.feature as usize];
        let left = x <= node.threshold || (x.is_nan() && self.missing_left[at as usize]);
        node.left + u32::from(!left)
    }

    /// The leaf-output offset that each row of `rows` (`width` values a row) reaches in tree
    /// `t`, written to `out`. `nan` says whether any row may hold a NaN.
    pub(crate) fn leaf_offsets(
        &self,
        t: usize,
        rows: &[f32],
        width: usize,
        out: &mut [u32],
        nan: bool,
    ) {
        let root = self.roots[t];
        for (group, offsets) in rows.chunks(width * LANES).zip(out.chunks_mut(LANES)) {
            if nan && has_nan(group) {
                for (row, offset) in group.chunks_exact(width).zip(offsets.iter_mut()) {
                    *offset = self.leaf_offset[self.walk_nan(root, row) as usize];
                }
                continue;
            }
            let mut at = [root; LANES];
            // A short last group repeats its last row in the spare lanes.
            let last = offsets.len() - 1;
            let base = std::array::from_fn(|l| l.min(last) * width);
            self.walk(&mut at, &base, group);
            for (offset, id) in offsets.iter_mut().zip(at) {
                *offset = self.leaf_offset[id as usize];
            }
        }
    }

    /// The leaf-output offset that `row` reaches in trees `first..first + out.len()`, in tree
    /// order, written to `out`: the trees are the lanes, which is what makes one row fast.
    /// `nan` says whether the row holds a NaN.
    pub(crate) fn row_leaf_offsets(&self, row: &[f32], first: usize, out: &mut [u32], nan: bool) {
        let roots = &self.roots[first..first + out.len()];
        if nan {
            for (offset, &root) in out.iter_mut().zip(roots) {
                *offset = self.leaf_offset[self.walk_nan(root, row) as usize];
            }
            return;
        }
        // Lockstep walks wait for their slowest lane, so a few trees get exactly as many lanes
        // as they need rather than being padded out to 16.
        let mut done = 0;
        while done < roots.len() {
            let (r, o) = (&roots[done..], &mut out[done..]);
            done += match roots.len() - done {
                16.. => self.walk_roots::<16>(row, r, o),
                15 => self.walk_roots::<15>(row, r, o),
                14 => self.walk_roots::<14>(row, r, o),
                13 => self.walk_roots::<13>(row, r, o),
                12 => self.walk_roots::<12>(row, r, o),
                11 => self.walk_roots::<11>(row, r, o),
                10 => self.walk_roots::<10>(row, r, o),
                9 => self.walk_roots::<9>(row, r, o),
                8 => self.walk_roots::<8>(row, r, o),
                7 => self.walk_roots::<7>(row, r, o),
                6 => self.walk_roots::<6>(row, r, o),
                5 => self.walk_roots::<5>(row, r, o),
                4 => self.walk_roots::<4>(row, r, o),
                3 => self.walk_roots::<3>(row, r, o),
                2 => self.walk_roots::<2>(row, r, o),
                _ => self.walk_roots::<1>(row, r, o),
            };
        }
    }

    /// Walks `row` down the first `L` trees of `roots`, writing their leaf offsets; returns `L`.
    fn walk_roots<const L: usize>(&self, row: &[f32], roots: &[u32], out: &mut [u32]) -> usize {
        let mut at: [u32; L] = std::array::from_fn(|l| roots[l]);
        self.walk(&mut at, &[0; L], row);
        for (offset, id) in out.iter_mut().zip(at) {
            *offset = self.leaf_offset[id as usize];
        }
        L
    }

    /// The outputs of the leaf at `offset`.
    #[inline]
    pub(crate) fn leaf_at(&self, offset: u32) -> &[f64] {
        &self.leaf_values[offset as usize..offset as usize + self.width]
    }

    /// The node ids (as given, tree-local) that `row` visits in tree `t`, root first.
    pub(crate) fn path(&self, t: usize, row: &[f32]) -> Vec<usize> {
        let mut at = self.roots[t];
        let mut path = vec![self.source_id[at as usize] as usize];
        loop {
            let next = self.step_nan(at, row);
            if next == at {
                return path;
            }
            at = next;
            path.push(self.source_id[at as usize] as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::f32_threshold;

    #[test]
    fn float32_threshold_decides_like_the_float64_one() {
        let ts = [0.5, 0.1, 1.0 / 3.0, -0.7, 1e-45, 3.4e38, 1e39, -1e39, 0.0, -0.0, 2.675];
        let mut xs: Vec<f32> = vec![f32::MIN, f32::MAX, f32::INFINITY, f32::NEG_INFINITY, 0.0];
        for &t in &ts {
            let c = t as f32;
            xs.extend([c, c.next_up(), c.next_down()]);
        }
        for &t in &ts {
            let t32 = f32_threshold(t);
            for &x in &xs {
                assert_eq!(x <= t32, f64::from(x) <= t, "x={x} t={t}");
            }
        }
    }
}
