// "Try it": one row in a form, its prediction as you type, and a what-if curve per feature.

import { api } from './api.js';
import { $, clear, debounce, fmt, h, pct, say, svg } from './dom.js';

/** Points per what-if curve: enough to see the steps a forest makes, one batch for all. */
const STEPS = 25;
const W = 120;
const H = 32;

/** The values a feature is varied over: its training range, else the span of its split
 * thresholds (padded, since the trees decide just outside it too); always including `x`. */
function span(f, x) {
  let lo;
  let hi;
  if (f.range) [lo, hi] = f.range;
  else if (f.split_range) {
    [lo, hi] = f.split_range;
    const pad = (hi - lo) * 0.1 || Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  } else {
    const c = Number.isFinite(x) ? x : 0;
    const d = Math.abs(c) * 0.5 || 1;
    [lo, hi] = [c - d, c + d];
  }
  if (Number.isFinite(x)) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

function drawSpark(el, xs, ys, [ylo, yhi], x0, label) {
  clear(el);
  const sx = (x) => ((x - xs[0]) / (xs[xs.length - 1] - xs[0])) * W;
  const sy = (y) => H - 2 - ((y - ylo) / (yhi - ylo || 1)) * (H - 4);
  const pts = xs.map((x, i) => `${sx(x).toFixed(2)},${sy(ys[i]).toFixed(2)}`).join(' ');
  const flat = { 'vector-effect': 'non-scaling-stroke' };
  el.setAttribute('aria-label', label);
  el.dataset.at = String(x0);
  el.append(
    svg('title', { text: label }),
    svg('polygon', { class: 'area', points: `0,${H} ${pts} ${W},${H}` }),
    svg('line', { class: 'base', x1: 0, x2: W, y1: H - 0.5, y2: H - 0.5, ...flat }),
    svg('polyline', { class: 'curve', points: pts, ...flat }),
  );
  if (Number.isFinite(x0)) {
    const x = sx(x0);
    el.append(svg('line', { class: 'marker', x1: x, x2: x, y1: 0, y2: H, ...flat }));
  }
}

export class TryIt {
  constructor(card, onRow) {
    this.card = card;
    this.onRow = onRow;
    this.fields = [];
    this.seq = 0;
    this.curveSeq = 0;
    this.classifier = card.kind === 'classifier';
    const wine = card.example_source.includes('wine');
    $('try-title').textContent = wine ? 'Try a wine' : 'Try an input';
    const what = this.classifier ? 'the probability of the predicted class' : `the predicted ${card.target}`;
    $('try-hint').textContent = `The form starts from ${card.example_source}. Change any value and the prediction follows. `
      + `Each curve shows how ${what} would move if only that feature changed, across its range; the orange line marks your value. `
      + 'An empty field is a missing value.';
    $('predicted-target').textContent = card.target;
    this.build();
    this.predictSoon = debounce(() => this.predict(), 200);
    this.curvesSoon = debounce(() => this.curves(), 400);
    $('reset-row').addEventListener('click', () => {
      this.fill(card.example);
      this.changed();
    });
    $('try-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.predict();
    });
    this.fill(card.example);
    this.predict();
    this.curves();
  }

  build() {
    const box = clear($('fields'));
    this.card.features.forEach((f, i) => {
      const input = h('input', {
        id: `f-${i}`, name: f.name, type: 'number', step: 'any', inputmode: 'decimal',
        'aria-describedby': `h-${i} e-${i}`,
      });
      const spark = svg('svg', {
        class: 'spark', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img',
        'aria-label': `what-if curve for ${f.name}`,
      });
      const r = f.range ? `trained on ${fmt(f.range[0])} – ${fmt(f.range[1])}` : 'training range not recorded';
      const error = h('span', { class: 'field-error', id: `e-${i}` });
      input.addEventListener('input', () => this.changed());
      box.append(h('div', { class: 'field' },
        h('label', { for: `f-${i}`, text: f.name }),
        h('div', { class: 'field-row' }, input, spark),
        h('small', { id: `h-${i}` }, r, ' ', error)));
      this.fields.push({ f, input, spark, error });
    });
  }

  fill(row) {
    for (const { f, input } of this.fields) {
      const v = row[f.name];
      input.value = v === null || v === undefined ? '' : String(v);
    }
  }

  /** The form as a row: numbers, and null (missing) for an empty field. */
  row() {
    const row = {};
    for (const { f, input } of this.fields) {
      row[f.name] = input.value.trim() === '' ? null : Number(input.value);
    }
    return row;
  }

  changed() {
    let ok = true;
    for (const field of this.fields) {
      const bad = field.input.validity.badInput;
      this.mark(field, bad ? 'not a number' : '');
      ok = ok && !bad;
    }
    if (!ok) return;
    $('result').dataset.state = 'busy';
    this.predictSoon();
    this.curvesSoon();
  }

  mark(field, message) {
    field.input.setAttribute('aria-invalid', message ? 'true' : 'false');
    field.error.textContent = message;
  }

  async predict() {
    const seq = ++this.seq;
    const row = this.row();
    const result = $('result');
    result.dataset.state = 'busy';
    try {
      const answer = await api.predict(row, this.classifier);
      if (seq !== this.seq) return;
      this.fields.forEach((field) => this.mark(field, ''));
      say($('predict-error'), '');
      this.show(answer);
      result.dataset.for = JSON.stringify(row);
      result.dataset.state = 'ready';
      this.onRow(row);
    } catch (e) {
      if (seq !== this.seq) return;
      const name = (e.field || '').replace(/^values\./, '');
      const field = this.fields.find((x) => x.f.name === name);
      if (field) this.mark(field, e.message);
      say($('predict-error'), e.message);
      $('predicted').textContent = '?';
      $('confidence').textContent = '';
      clear($('proba'));
      result.dataset.state = 'error';
    }
  }

  /** The class index and display name of a label from an answer. */
  classOf(label) {
    const i = this.card.classes.findIndex((c) => c === label);
    return { i, name: i >= 0 ? this.card.class_names[i] : String(label) };
  }

  show(answer) {
    const value = answer[this.card.target];
    const list = clear($('proba'));
    if (!this.classifier) {
      $('predicted').textContent = fmt(value, 6);
      $('confidence').textContent = `${this.card.aggregation}`;
      return;
    }
    const { i, name } = this.classOf(value);
    const probs = answer.probabilities || {};
    $('predicted').textContent = name;
    $('confidence').textContent = `probability ${pct(probs[name])}`;
    this.card.class_names.forEach((c, k) => {
      const p = probs[c] || 0;
      const fillEl = h('div', { class: 'fill' });
      fillEl.style.width = `${100 * p}%`;
      list.append(h('li', { class: k === i ? 'best' : null },
        h('span', { class: 'cls', text: c }),
        h('div', { class: 'track', 'aria-hidden': 'true' }, fillEl),
        h('span', { class: 'pct', text: pct(p) })));
    });
  }

  /** Every feature's curve from one batch: the row itself first, then STEPS rows per feature
   * with only that feature changed. */
  async curves() {
    const seq = ++this.curveSeq;
    const base = this.row();
    const spans = this.fields.map(({ f }) => span(f, base[f.name]));
    const rows = [base];
    this.fields.forEach(({ f }, i) => {
      const [lo, hi] = spans[i];
      for (let k = 0; k < STEPS; k++) rows.push({ ...base, [f.name]: lo + ((hi - lo) * k) / (STEPS - 1) });
    });
    let answer;
    try {
      answer = await api.predict(rows, this.classifier);
    } catch (e) {
      if (seq === this.curveSeq) this.fields.forEach(({ spark }) => clear(spark));
      return;
    }
    if (seq !== this.curveSeq) return;
    const labels = answer[this.card.target];
    let y;
    let domain;
    let what;
    if (this.classifier) {
      const { name } = this.classOf(labels[0]);
      y = (j) => answer.probabilities[j][name] || 0;
      domain = [0, 1];
      what = `probability of ${this.card.target} ${name}`;
    } else {
      y = (j) => labels[j];
      domain = [Math.min(...labels), Math.max(...labels)];
      what = `predicted ${this.card.target}`;
    }
    const show = this.classifier ? pct : (v) => fmt(v);
    this.fields.forEach(({ f, spark }, i) => {
      const [lo, hi] = spans[i];
      const xs = [];
      const ys = [];
      for (let k = 0; k < STEPS; k++) {
        xs.push(lo + ((hi - lo) * k) / (STEPS - 1));
        ys.push(y(1 + i * STEPS + k));
      }
      const label = `What if ${f.name} changes: the ${what} goes from ${show(ys[0])} at ${fmt(lo)} `
        + `to ${show(ys[STEPS - 1])} at ${fmt(hi)} (lowest ${show(Math.min(...ys))}, highest ${show(Math.max(...ys))}).`;
      drawSpark(spark, xs, ys, domain, base[f.name], label);
    });
    $('fields').dataset.curves = String(seq);
  }
}
