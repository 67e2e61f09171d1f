import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'event-codes.md');

/**
 * The codes of the "Emitted by Switchboard" table of docs/event-codes.md (`FL` stands for `FLx`),
 * which a suite that drives the running services compares with the codes they stored.
 */
export function documentedEmittedCodes(): string[] {
  const documentation = readFileSync(DOC, 'utf8');
  const section = documentation.slice(
    documentation.indexOf('## Emitted by Switchboard'),
    documentation.indexOf('## Where the running service stores each code'),
  );
  return section
    .split('\n')
    .filter((line) => /^\|\s*[A-Z]{2,5}\s*\|/.test(line))
    .map((line) => line.split('|')[1].trim());
}

/** A stored code as the table names it: `FL1`, `FL2`… are all `FL`. */
export const documentedCodeOf = (code: string): string => (/^FL\d+$/.test(code) ? 'FL' : code);
