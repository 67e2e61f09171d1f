import { displayText } from './html';

/**
 * Characters XML 1.0 forbids even as references (NUL and the other C0 controls but tab, newline and
 * carriage return; lone surrogates; U+FFFE and U+FFFF): a document holding one is not well-formed.
 */
const notXmlCharacters = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for XML content and attribute values; a character XML cannot hold becomes U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(notXmlCharacters, '\uFFFD')
    .replace(/[<>&'"]/g, (character) => `&${xmlEntities[character]};`);
}

const xmlEntities: Readonly<Record<string, string>> = {
  '<': 'lt',
  '>': 'gt',
  '&': 'amp',
  "'": 'apos',
  '"': 'quot',
};

// Element names must start with a letter or underscore; keys such as `0` or `a b` become `_0`, `a_b`.
const elementName = (key: string): string => {
  const cleaned = key.replace(/[^\w.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
};

// Items of `lines` are `<line>`, of `sites` `<site>`, of anything else `<item>`.
const itemName = (key: string): string => (/[^s]s$/.test(key) ? key.slice(0, -1) : 'item');

function element(name: string, value: unknown, indent: string): string {
  const tag = elementName(name);
  if (value === null || value === undefined) return `${indent}<${tag}/>`;
  if (value instanceof Date) return `${indent}<${tag}>${value.toISOString()}</${tag}>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}<${tag}/>`;
    const items = value.map((item) => element(itemName(tag), item, `${indent}  `));
    return `${indent}<${tag}>\n${items.join('\n')}\n${indent}</${tag}>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return `${indent}<${tag}/>`;
    const children = entries.map(([key, child]) => element(key, child, `${indent}  `));
    return `${indent}<${tag}>\n${children.join('\n')}\n${indent}</${tag}>`;
  }
  return `${indent}<${tag}>${escapeXml(displayText(value))}</${tag}>`;
}

/** A plain JSON-like value as an XML document under `root` (arrays as repeated singular elements). */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, '')}\n`;
}
