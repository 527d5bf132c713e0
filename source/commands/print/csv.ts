// RFC 4180 CSV with \n line ends: null is an empty field, strings are quoted only when needed.

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(row: readonly unknown[]): string {
  return row.map(csvField).join(',') + '\n';
}

export function renderCsv(rows: readonly (readonly unknown[])[]): string {
  return rows.map(csvLine).join('');
}
