// Batch: a CSV file in, the same file back with the model's answers, built in the page and
// offered as a download.

import { api } from './api.js';
import { $, clear, h, say } from './dom.js';
import { parseCsv, writeCsv } from './csv.js';

const PREVIEW_ROWS = 5;

export class Batch {
  constructor(card) {
    this.card = card;
    this.url = null;
    const names = card.features.map((f) => f.name).join(', ');
    const added = card.kind === 'classifier'
      ? 'a predicted column and one proba_<class> column per class'
      : 'a predicted column';
    $('batch-hint').append(` The columns this model needs: ${names}; other columns are kept and ignored. `
      + `You get the file back with ${added}, ready to download.`);
    const input = $('csv-file');
    input.addEventListener('change', () => {
      if (input.files.length) this.run(input.files[0]);
    });
    const drop = $('drop');
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      if (e.dataTransfer.files.length) this.run(e.dataTransfer.files[0]);
    });
  }

  /** The columns added after the file's own: `predicted`, then `proba_<class>` per class. */
  extraColumns() {
    const probas = this.card.kind === 'classifier' ? this.card.class_names.map((c) => `proba_${c}`) : [];
    return ['predicted', ...probas];
  }

  cells(answer, j) {
    const label = answer.predictions[j];
    if (this.card.kind !== 'classifier') return [String(label)];
    const k = this.card.classes.findIndex((c) => c === label);
    const name = k >= 0 ? this.card.class_names[k] : String(label);
    const probs = (answer.probabilities || [])[j] || {};
    return [name, ...this.card.class_names.map((c) => String(probs[c] ?? ''))];
  }

  async run(file) {
    const link = $('csv-download');
    link.hidden = true;
    $('batch-preview').hidden = true;
    say($('batch-error'), '');
    $('batch').dataset.state = 'busy';
    try {
      const text = await file.text();
      const table = parseCsv(text);
      $('batch-status').textContent = `Predicting ${table.rows.length.toLocaleString('en')} rows of ${file.name}…`;
      const started = performance.now();
      const answer = await api.predictCsv(text, this.card.kind === 'classifier');
      const ms = Math.round(performance.now() - started);
      if (answer.predictions.length !== table.rows.length) {
        throw new Error(`the server read ${answer.predictions.length} rows, the page ${table.rows.length}: check the file's quoting`);
      }
      const header = [...table.header, ...this.extraColumns()];
      const rows = table.rows.map((r, j) => [...r, ...this.cells(answer, j)]);
      const out = writeCsv(header, rows, table.sep);
      if (this.url) URL.revokeObjectURL(this.url);
      this.url = URL.createObjectURL(new Blob([out], { type: 'text/csv' }));
      const name = `${file.name.replace(/\.csv$/i, '')}.predicted.csv`;
      link.href = this.url;
      link.download = name;
      link.textContent = `Download ${name}`;
      link.dataset.rows = String(rows.length);
      link.hidden = false;
      $('batch-status').textContent = `Predicted ${rows.length.toLocaleString('en')} rows in ${ms} ms.`;
      this.preview(header, rows, table.header.length);
      $('batch').dataset.state = 'ready';
    } catch (e) {
      $('batch-status').textContent = '';
      say($('batch-error'), `${file.name}: ${e.message}${e.field ? ` (field ${e.field})` : ''}`);
      $('batch').dataset.state = 'error';
    }
  }

  preview(header, rows, own) {
    const table = clear($('batch-preview'));
    const cls = (i) => (i >= own ? 'added' : null);
    table.append(
      h('caption', { class: 'hint', text: `The first ${Math.min(PREVIEW_ROWS, rows.length)} of ${rows.length} rows` }),
      h('thead', {}, h('tr', {}, header.map((c, i) => h('th', { scope: 'col', class: cls(i), text: c })))),
      h('tbody', {}, rows.slice(0, PREVIEW_ROWS).map((r) => h('tr', {}, r.map((c, i) => h('td', { class: cls(i), text: c }))))),
    );
    table.hidden = false;
  }
}
