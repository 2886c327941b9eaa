//! The inference layout: every tree's nodes packed into one array of 16-byte nodes, leaf
//! outputs in one flat array. Built once from validated [`crate::Tree`]s.

use crate::{ForestParts, Tree};

const LEAF_BIT: u32 = 1 << 31;
const MISSING_LEFT_BIT: u32 = 1 << 30;
const FEATURE_MASK: u32 = MISSING_LEFT_BIT - 1;
/// Rows that descend a tree together.
const LANES: usize = 8;

/// One node. At a split, `flags_feature` holds the feature index and the missing-value
/// direction; at a leaf it holds [`LEAF_BIT`] and `left` is the offset of the leaf's output.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct Node {
    threshold: f32,
    flags_feature: u32,
    left: u32,
    right: u32,
}

impl Node {
    /// sklearn's rule: NaN goes where the split says, otherwise `x <= threshold` goes left.
    #[inline]
    fn next(&self, row: &[f32]) -> u32 {
        let x = row[(self.flags_feature & FEATURE_MASK) as usize];
        let left =
            x <= self.threshold || (x.is_nan() && self.flags_feature & MISSING_LEFT_BIT != 0);
        if left {
            self.left
        } else {
            self.right
        }
    }

    #[inline]
    fn is_leaf(&self) -> bool {
        self.flags_feature & LEAF_BIT != 0
    }
}

/// The largest feature count the packed node can index.
pub(crate) const MAX_FEATURES: usize = FEATURE_MASK as usize + 1;

#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    nodes: Vec<Node>,
    roots: Vec<u32>,
    /// Per-leaf outputs, `width` values each: what that tree contributes.
    leaf_values: Vec<f64>,
    pub(crate) width: usize,
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

impl Compiled {
    pub(crate) fn new(parts: &ForestParts) -> Compiled {
        let width = parts.value_width();
        let total: usize = parts.trees.iter().map(Tree::node_count).sum();
        let mut nodes = Vec::with_capacity(total);
        let mut roots = Vec::with_capacity(parts.trees.len());
        let mut leaf_values = Vec::new();
        for tree in &parts.trees {
            let base = nodes.len() as u32;
            roots.push(base);
            for i in 0..tree.node_count() {
                if tree.is_leaf(i) {
                    let offset = leaf_values.len() as u32;
                    leaf_values.extend_from_slice(&tree.value[i * width..(i + 1) * width]);
                    nodes.push(Node {
                        threshold: 0.0,
                        flags_feature: LEAF_BIT,
                        left: offset,
                        right: offset,
                    });
                } else {
                    let missing = if tree.missing_go_to_left[i] { MISSING_LEFT_BIT } else { 0 };
                    nodes.push(Node {
                        threshold: f32_threshold(tree.threshold[i]),
                        flags_feature: tree.feature[i] as u32 | missing,
                        left: base + tree.children_left[i] as u32,
                        right: base + tree.children_right[i] as u32,
                    });
                }
            }
        }
        Compiled { nodes, roots, leaf_values, width }
    }

    pub(crate) fn n_trees(&self) -> usize {
        self.roots.len()
    }

    /// The leaf-output offset that each row of `rows` reaches in tree `t`, written to `out`.
    ///
    /// Rows descend in groups of [`LANES`] in lockstep: their node loads are independent, so
    /// the processor overlaps the cache misses that dominate a deep forest.
    pub(crate) fn leaf_offsets(&self, t: usize, rows: &[f32], width: usize, out: &mut [u32]) {
        let root = self.roots[t];
        for (group, offsets) in rows.chunks(width * LANES).zip(out.chunks_mut(LANES)) {
            let lanes = offsets.len();
            if lanes == 1 {
                // A lone row (the single-row API) descends without the lockstep bookkeeping.
                offsets[0] = self.descend(root, group);
                continue;
            }
            let mut at = [root; LANES];
            loop {
                let mut moving = false;
                for (lane, id) in at.iter_mut().enumerate().take(lanes) {
                    let node = &self.nodes[*id as usize];
                    if !node.is_leaf() {
                        *id = node.next(&group[lane * width..(lane + 1) * width]);
                        moving = true;
                    }
                }
                if !moving {
                    break;
                }
            }
            for (offset, id) in offsets.iter_mut().zip(at) {
                *offset = self.nodes[id as usize].left;
            }
        }
    }

    /// The leaf-output offset that one row reaches from node `root`.
    #[inline]
    fn descend(&self, root: u32, row: &[f32]) -> u32 {
        let mut node = &self.nodes[root as usize];
        while !node.is_leaf() {
            node = &self.nodes[node.next(row) as usize];
        }
        node.left
    }

    /// The outputs of the leaf at `offset`.
    #[inline]
    pub(crate) fn leaf_at(&self, offset: u32) -> &[f64] {
        &self.leaf_values[offset as usize..offset as usize + self.width]
    }

    /// The node ids (tree-local) that `row` visits in tree `t`, root first.
    pub(crate) fn path(&self, t: usize, row: &[f32]) -> Vec<usize> {
        let base = self.roots[t] as usize;
        let mut id = base;
        let mut path = vec![0];
        loop {
            let node = &self.nodes[id];
            if node.is_leaf() {
                return path;
            }
            id = node.next(row) as usize;
            path.push(id - base);
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
