// The model card: what the model is, where it came from, what it reads and which features it
// leans on most.

import { $, clear, fmt, h } from './dom.js';

function origin(p) {
  if (!p || !p.origin) return 'not recorded';
  if (p.origin === 'imported') {
    const from = p.source ? ` from ${p.source}` : '';
    const version = p.source_version ? ` (made with scikit-learn ${p.source_version})` : '';
    return `Imported${from}${version}`;
  }
  const on = p.source ? ` on ${p.source}` : '';
  return `Trained by grove ${p.grove_version || ''}${on}`.replace(/\s+/g, ' ');
}

function spread(values) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
}

function describe(card) {
  const n = card.features.length;
  if (card.kind === 'classifier') {
    const k = card.classes.length;
    return `Predicts ${card.target} (one of ${k} classes) from ${n} features, with ${card.n_trees} trees.`;
  }
  return `Predicts ${card.target} (a number) from ${n} features, with ${card.n_trees} trees.`;
}

function facts(list, pairs) {
  clear(list);
  for (const [term, value] of pairs) {
    if (value === null || value === undefined || value === '') continue;
    list.append(h('dt', { text: term }), h('dd', {}, value));
  }
}

export function renderCard(card) {
  const p = card.provenance || {};
  $('card-kind').textContent = card.kind;
  $('card-title').textContent = card.name;
  $('card-lead').textContent = describe(card);
  $('card-version').textContent = `version ${card.version}`;
  const depths = card.trees.map((t) => t.max_depth);
  const nodes = card.trees.map((t) => t.node_count);
  facts($('card-facts'), [
    ['Estimator', p.estimator ? h('code', { text: p.estimator }) : 'a tree ensemble'],
    ['Origin', origin(p)],
    ['Created', p.created_at ? p.created_at.replace('T', ' ').replace('Z', ' UTC') : ''],
    ['Trees', `${card.n_trees}, combined by ${card.aggregation}`],
    ['Nodes', `${card.total_nodes.toLocaleString('en')} in all (${spread(nodes)} per tree)`],
    ['Depth', spread(depths)],
    ['Missing values', card.missing_values === 'route' ? 'routed as each split learned' : 'refused'],
  ]);

  const classes = $('card-classes');
  clear(classes);
  if (card.kind === 'classifier') {
    classes.append(
      h('h2', { class: 'h3', id: 'classes-title', text: `Classes of ${card.target}` }),
      h('ul', { class: 'chips', 'aria-labelledby': 'classes-title' },
        card.class_names.map((c) => h('li', { text: c }))),
    );
  }

  const params = Object.entries(p.params || {});
  if (params.length) {
    facts($('card-params-list'), params);
    $('card-params').hidden = false;
  }

  const known = card.features.every((f) => f.importance !== null);
  $('features-hint').textContent = known
    ? 'Sorted by importance: how much each feature’s splits reduce impurity, over all trees.'
    : 'The model kept no training statistics, so importances are unknown.';
  const rows = card.features.slice();
  if (known) rows.sort((a, b) => b.importance - a.importance);
  const top = Math.max(...rows.map((f) => f.importance || 0), 1e-12);
  const body = clear($('features-body'));
  for (const f of rows) {
    const range = f.range ? `${fmt(f.range[0])} – ${fmt(f.range[1])}` : 'not recorded';
    let imp = h('span', { class: 'hint', text: '–' });
    if (known) {
      const fillEl = h('div', { class: 'imp-fill' });
      fillEl.style.width = `${(100 * f.importance) / top}%`;
      imp = h('div', { class: 'imp' },
        h('div', { class: 'imp-track', 'aria-hidden': 'true' }, fillEl),
        h('span', { class: 'imp-value', text: `${(100 * f.importance).toFixed(1)}%` }));
    }
    body.append(h('tr', {},
      h('td', { class: 'name', text: f.name }),
      h('td', { class: 'range', text: range }),
      h('td', {}, imp)));
  }
}
