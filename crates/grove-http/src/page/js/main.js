// Starts the page: reads the model card, then builds each section from it.

import { api } from './api.js';
import { renderCard } from './card.js';
import { $, say } from './dom.js';
import { TryIt } from './tryit.js';
import { TreeViewer } from './tree.js';
import { Batch } from './batch.js';

async function start() {
  const main = $('main');
  let card;
  try {
    card = await api.card();
  } catch (e) {
    say($('load-error'), `The model card could not be loaded: ${e.message}`);
    main.dataset.state = 'error';
    return;
  }
  document.title = `${card.name} · grove`;
  for (const id of ['link-v2', 'foot-v2']) {
    $(id).href = card.links.v2;
    if (id === 'foot-v2') $(id).textContent = card.links.v2;
  }
  renderCard(card);
  const trees = new TreeViewer(card);
  new TryIt(card, (row) => trees.setRow(row));
  new Batch(card);
  main.dataset.state = 'ready';
}

start();
