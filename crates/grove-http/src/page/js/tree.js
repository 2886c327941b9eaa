// The tree viewer: one tree at a time, nodes opened on demand (a tree has thousands), the
// current row's path highlighted and open.

import { api } from './api.js';
import { $, clear, fmt, h } from './dom.js';

/** Colours for class shares in a node's distribution bar (class order, repeating). */
const PALETTE = ['#2e6b4f', '#5b9a7b', '#93c2a6', '#c77d12', '#e0a84f', '#7a6fb0', '#b4aedb', '#a3341f', '#d98c7a', '#4f7fa8'];

export class TreeViewer {
  constructor(card) {
    this.card = card;
    this.cache = new Map();
    this.row = null;
    this.tree = null;
    this.path = [];
    this.open = new Set();
    this.seq = 0;
    const select = $('tree-select');
    card.trees.forEach((t, i) => {
      select.append(h('option', { value: i, text: `Tree ${i} — ${t.node_count.toLocaleString('en')} nodes, depth ${t.max_depth}` }));
    });
    select.addEventListener('change', () => this.refresh(true));
    $('tree-open-path').addEventListener('click', () => {
      this.openPath();
      this.render();
    });
    $('tree-collapse').addEventListener('click', () => {
      this.open.clear();
      this.render();
    });
    this.refresh(true);
  }

  async setRow(row) {
    this.row = row;
    await this.refresh(false);
  }

  async load(i) {
    if (!this.cache.has(i)) this.cache.set(i, api.tree(i));
    return this.cache.get(i);
  }

  /** Loads the selected tree and the row's path through it; re-opens along the path when the
   * tree or the path changed. */
  async refresh(treeChanged) {
    const seq = ++this.seq;
    const i = Number($('tree-select').value || 0);
    const root = $('tree-root');
    root.dataset.state = 'busy';
    try {
      const [tree, answer] = await Promise.all([
        this.load(i),
        this.row ? api.path(i, this.row) : Promise.resolve({ path: [0] }),
      ]);
      if (seq !== this.seq) return;
      const samePath = !treeChanged && this.tree === tree && answer.path.join() === this.path.join();
      this.tree = tree;
      this.path = answer.path;
      this.onPath = new Set(this.path);
      if (!samePath) {
        this.openPath();
        this.render();
      }
      this.summarise();
      this.legend();
      root.dataset.tree = String(i);
      root.dataset.state = 'ready';
    } catch (e) {
      if (seq !== this.seq) return;
      $('tree-summary').textContent = `This tree could not be shown: ${e.message}`;
      root.dataset.state = 'error';
    }
  }

  openPath() {
    this.open = new Set(this.path.slice(0, -1));
  }

  isLeaf(id) {
    return this.tree.children_left[id] < 0;
  }

  /** What a node says: its majority class and share, or its value. */
  says(id) {
    const v = this.tree.value[id];
    if (this.tree.value_kind === 'class_distribution') {
      let best = 0;
      v.forEach((p, k) => { if (p > v[best]) best = k; });
      const total = v.reduce((a, b) => a + b, 0) || 1;
      return `${this.tree.class_names[best]} · ${Math.round((100 * v[best]) / total)}%`;
    }
    if (this.tree.value_kind === 'raw_score') return `score ${v[0] >= 0 ? '+' : ''}${fmt(v[0])}`;
    return `${this.card.target} ${fmt(v[0])}`;
  }

  summarise() {
    const leaf = this.path[this.path.length - 1];
    const depth = this.path.length - 1;
    const n = this.card.n_trees;
    const combine = this.tree.value_kind === 'raw_score' ? 'adds this to the score' : `averages ${n} such trees`;
    $('tree-summary').textContent = `Your row goes through ${depth} split${depth === 1 ? '' : 's'} and ends at leaf ${leaf}, `
      + `where this tree says ${this.says(leaf)}. The model ${combine}.`;
  }

  /** The key to the class colours of the distribution bars (the text beside each bar says the
   * same for screen readers). */
  legend() {
    const el = $('tree-legend');
    if (this.tree.value_kind !== 'class_distribution' || !el.hidden) return;
    el.append('Each bar is the mix of classes among the training rows at that node: ');
    this.tree.class_names.forEach((c, k) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = PALETTE[k % PALETTE.length];
      el.append(h('span', { class: 'key' }, swatch, c));
    });
    el.hidden = false;
  }

  render() {
    const root = clear($('tree-root'));
    if (this.tree) root.append(this.node(0, ''));
  }

  distribution(id) {
    if (this.tree.value_kind !== 'class_distribution') return null;
    const v = this.tree.value[id];
    const total = v.reduce((a, b) => a + b, 0) || 1;
    const bar = h('span', { class: 'dist', 'aria-hidden': 'true' });
    bar.title = v.map((p, k) => `${this.tree.class_names[k]}: ${Math.round((100 * p) / total)}%`).join(', ');
    v.forEach((p, k) => {
      if (p <= 0) return;
      const part = h('span');
      part.style.width = `${(100 * p) / total}%`;
      part.style.background = PALETTE[k % PALETTE.length];
      bar.append(part);
    });
    return bar;
  }

  /** One node's list item; its children exist in the page only while it is open. */
  node(id, branch) {
    const t = this.tree;
    const leaf = this.isLeaf(id);
    const onPath = this.onPath && this.onPath.has(id);
    const li = h('li', { class: `node${onPath ? ' on-path' : ''}${leaf ? ' leaf' : ''}`, 'data-node': id });
    const text = leaf ? 'leaf' : `${t.features[t.feature[id]]} ≤ ${fmt(t.threshold[id], 5)}`;
    let head;
    if (leaf) {
      head = h('span', { class: 'leaf-mark', 'aria-hidden': 'true', text: '●' });
    } else {
      head = h('button', {
        type: 'button', class: 'toggle', 'aria-expanded': this.open.has(id) ? 'true' : 'false',
        'aria-label': `node ${id}: ${text}`,
      });
      head.append(h('span', { 'aria-hidden': 'true', text: this.open.has(id) ? '▾' : '▸' }));
      head.addEventListener('click', () => this.toggle(id, li, head));
    }
    const samples = t.n_node_samples ? `${t.n_node_samples[id].toLocaleString('en')} samples` : null;
    li.append(h('div', { class: 'node-row' },
      head,
      branch ? h('span', { class: 'branch', text: branch }) : null,
      h('span', { class: 'split', text: text }),
      samples ? h('span', { class: 'samples', text: samples }) : null,
      this.distribution(id),
      h('span', { class: 'says', text: this.says(id) }),
      onPath ? h('span', { class: 'path-note', text: leaf ? 'your row ends here' : 'your row' }) : null));
    if (!leaf && this.open.has(id)) li.append(this.children(id));
    return li;
  }

  children(id) {
    return h('ul', {},
      this.node(this.tree.children_left[id], 'yes'),
      this.node(this.tree.children_right[id], 'no'));
  }

  toggle(id, li, button) {
    const open = !this.open.has(id);
    if (open) {
      this.open.add(id);
      li.append(this.children(id));
    } else {
      this.open.delete(id);
      const ul = li.querySelector(':scope > ul');
      if (ul) ul.remove();
    }
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    button.firstChild.textContent = open ? '▾' : '▸';
  }
}
