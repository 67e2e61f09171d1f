/** A UTF-16 surrogate without its pair: no character, and invalid UTF-8 once written to a database. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `value` with every lone surrogate in its strings (keys too, at any depth) replaced by U+FFFD, as a
 * UTF-8 decoder does: what a client sends is stored as the text it shows, never as invalid UTF-8.
 */
export function withWellFormedText<TValue>(value: TValue): TValue {
  return wellFormed(value) as TValue;
}

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(loneSurrogate, '\uFFFD');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [wellFormed(key), wellFormed(item)]));
}
