// Reading and writing CSV in the page, the way the server reads it: the separator is the one
// the header uses most (`,` `;` tab `|`), quotes may hold separators, quotes and newlines,
// blank lines are skipped.

export function detectSeparator(text) {
  const header = text.split(/\r?\n/, 1)[0] || '';
  let best = [',', 0];
  for (const sep of [',', ';', '\t', '|']) {
    let inQuotes = false;
    let count = 0;
    for (const ch of header) {
      if (ch === '"') inQuotes = !inQuotes;
      else if (ch === sep && !inQuotes) count += 1;
    }
    if (count > best[1]) best = [sep, count];
  }
  return best[0];
}

/** `{sep, header, rows}`, each row a list of cell strings. */
export function parseCsv(text) {
  const sep = detectSeparator(text);
  const records = [];
  let record = [];
  let cell = '';
  let inQuotes = false;
  let i = 0;
  const endRecord = () => {
    record.push(cell);
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') inQuotes = false;
      else cell += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === sep) {
      record.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
    } else cell += ch;
    i += 1;
  }
  if (cell !== '' || record.length) endRecord();
  const [header = [], ...rows] = records;
  return { sep, header, rows };
}

function quote(cell, sep) {
  const s = String(cell);
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function writeCsv(header, rows, sep) {
  const line = (cells) => cells.map((c) => quote(c, sep)).join(sep);
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
