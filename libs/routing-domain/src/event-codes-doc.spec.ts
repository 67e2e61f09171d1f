import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CODES, isEventCode } from '@switchboard/protocol';

const documentation = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'event-codes.md'), 'utf8');
// Table rows as cells: `| CODE | text | … |`.
const rows = documentation
  .split('\n')
  .filter((line) => /^\|\s*[A-Z]{2,5}\s*\|/.test(line))
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
const documentedCodes = new Set(rows.map(([code]) => code));
const emittedRows = rows.filter((cells) => cells.length === 4);

describe('docs/event-codes.md', () => {
  it.each(Object.keys(EVENT_CODES))('lists %s', (code) => {
    expect(documentedCodes.has(code)).toBe(true);
  });

  it.each(['CBK', 'CBS', 'CVF', 'SCO', 'TRERR'])(
    'explains why the glossary code %s is not applicable',
    (code) => {
      expect(documentedCodes.has(code)).toBe(true);
    },
  );

  it.each(emittedRows)('quotes the stored text of %s', (code, text) => {
    expect(isEventCode(code) && EVENT_CODES[code]).toBe(text);
  });
});
