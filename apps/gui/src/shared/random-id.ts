/**
 * A random URL-safe id (hex) for visitor ids and clientMessageIds. getRandomValues, unlike
 * randomUUID, also works on plain-http pages.
 */
export function randomId(bytes = 16): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (value) => value.toString(16).padStart(2, '0')).join('');
}
