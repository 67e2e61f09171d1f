import { element } from './dom';

// A web address in a chat line: http(s)://… or www.…, up to whitespace or a character that cannot end one.
const ADDRESS = /\b(?:https?:\/\/|www\.)[^\s<>"]*[^\s<>"'.,;:!?)\]}]/gi;

/** A piece of a line: plain text, or an address with the http(s) URL it links to. */
export interface LinePart {
  readonly text: string;
  readonly href?: string;
}

/** Splits a line into text and http(s) links; anything else (javascript:, data:, unparsable) stays text. */
export function linkParts(text: string): LinePart[] {
  const parts: LinePart[] = [];
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const address = match[0];
    const href = safeHref(address);
    if (href === null) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: address, href });
    last = match.index + address.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * A line's text as nodes: text stays text (never parsed as HTML), and each http(s) address becomes
 * a link that opens in a new tab without access to this page (rel="noopener noreferrer").
 */
export function linkified(text: string): Node[] {
  return linkParts(text).map(({ text: part, href }) =>
    href === undefined
      ? document.createTextNode(part)
      : element('a', { href, target: '_blank', rel: 'noopener noreferrer' }, part),
  );
}

function safeHref(address: string): string | null {
  try {
    const url = new URL(/^www\./i.test(address) ? `https://${address}` : address);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
