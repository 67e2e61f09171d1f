import { displayText } from './html';

/** A flat record as `name: value` lines; nested values as JSON. */
export function textFields(record: Readonly<Record<string, unknown>>): string {
  return `${Object.entries(record)
    .map(([name, value]) => `${name}: ${displayText(value)}`)
    .join('\n')}\n`;
}
