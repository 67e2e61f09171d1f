/** What an agent's line becomes on WhatsApp. */
export type OutboundIntent =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'template'; readonly templateId: string; readonly language?: string }
  | { readonly kind: 'media'; readonly storedName: string; readonly caption?: string };

const templateCommand = /^\/template\s+(\S+)(?:\s+([A-Za-z]{2}(?:[-_][A-Za-z]{2})?))?\s*$/;
// The stored name at the end of a media link (or the bare name): 32 hex digits and an extension.
const attachCommand = /^\/attach\s+(?:\S*\/)?([a-f0-9]{32}\.[a-z0-9]{2,4})(?:\s+([\s\S]+))?$/;

/**
 * Reads an agent's line: `/template <templateId> [language]` sends an approved WhatsApp template
 * (the only message allowed outside the customer care window); `/attach <media link> [caption]`
 * sends a medium stored under DATADIR (e.g. one a customer sent); anything else is free text.
 */
export function outboundIntent(text: string): OutboundIntent {
  const trimmed = text.trim();
  const attach = attachCommand.exec(trimmed);
  if (attach)
    return { kind: 'media', storedName: attach[1], ...(attach[2] ? { caption: attach[2].trim() } : {}) };
  const match = templateCommand.exec(trimmed);
  if (!match) return { kind: 'text', text };
  return { kind: 'template', templateId: match[1], ...(match[2] ? { language: match[2] } : {}) };
}

/**
 * WhatsApp's customer care window: a free-form reply is allowed only within `hours` of the customer's
 * last message; a template is always allowed. Returns why a line is refused, or null when it may go.
 */
export function windowRefusal(
  intent: OutboundIntent,
  lastCustomerMessageAt: Date | null,
  hours: number,
  now: Date,
): string | null {
  if (intent.kind === 'template') return null;
  const closesAt = lastCustomerMessageAt && new Date(lastCustomerMessageAt.getTime() + hours * 3_600_000);
  if (closesAt && closesAt > now) return null;
  const since = lastCustomerMessageAt
    ? `the customer last wrote at ${lastCustomerMessageAt.toISOString()}`
    : 'the customer never wrote';
  return (
    `Not sent: outside WhatsApp's ${hours}-hour customer care window (${since}). ` +
    'Send an approved template instead: /template <templateId> [language].'
  );
}
