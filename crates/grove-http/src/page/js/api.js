// The page's only way to the model: the same HTTP API any program uses, on this server.

/** An answer that is not 2xx, with the `{"error", "field"}` the server sent. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `the server answered ${status}`);
    this.status = status;
    this.field = (body && body.field) || '';
  }
}

async function call(method, url, body, contentType) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.body = body;
    init.headers['Content-Type'] = contentType;
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, { error: `the server could not be reached (${e.message})` });
  }
  const text = await response.text();
  let value = null;
  try {
    value = text ? JSON.parse(text) : null;
  } catch (e) {
    throw new ApiError(response.status, { error: `not JSON: ${text.slice(0, 200)}` });
  }
  if (!response.ok) throw new ApiError(response.status, value);
  return value;
}

const postJson = (url, value) => call('POST', url, JSON.stringify(value), 'application/json');

export const api = {
  card: () => call('GET', '/model'),
  tree: (i) => call('GET', `/model/trees/${i}`),
  path: (i, row) => postJson(`/model/trees/${i}/path`, { values: row }),
  /** One row gives one answer, a list of rows a list; with probabilities when asked (a
   * regressor has none, and the API refuses to pretend otherwise). */
  predict: (rows, proba) => postJson(proba ? '/predict?proba=true' : '/predict', { values: rows }),
  predictCsv: (text, proba) => call('POST', proba ? '/predict?proba=true' : '/predict', text, 'text/csv'),
};
