/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&${htmlEntities[character]};`);
}

const htmlEntities: Readonly<Record<string, string>> = {
  '<': 'lt',
  '>': 'gt',
  '&': 'amp',
  "'": '#39',
  '"': 'quot',
};

/** A cell value as display text: dates in ISO form, nothing as an empty cell. */
export function displayText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value) ?? '';
}

/** A table of `rows`, one column per entry of `columns` (header → field). */
export function htmlTable<TRow extends object>(
  rows: readonly TRow[],
  columns: Readonly<Record<string, (row: TRow) => unknown>>,
): string {
  if (rows.length === 0) return '<p class="empty">none</p>';
  const headers = Object.keys(columns)
    .map((header) => `<th>${escapeHtml(header)}</th>`)
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${Object.values(columns)
          .map((cell) => `<td>${escapeHtml(displayText(cell(row)))}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr>${headers}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A two-column table of a flat record's fields. */
export function htmlFields(record: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(record)
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(displayText(value))}</td></tr>`)
    .join('\n');
  return `<table class="fields">\n${rows}\n</table>`;
}

/** A complete page; `body` is trusted HTML built with the helpers above. */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.empty { color: #777; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}
