import { type RoutingEvent, routingEvent } from './routing-event';

/**
 * What a site's text rule may be: a word or a phrase of words (letters, digits, `'` and `-`), at
 * most 100 characters. Not a pattern: matching walks words, so no rule can make it backtrack.
 */
export const textRulePhrasePattern = /^[\p{L}\p{N}'-]+(?: [\p{L}\p{N}'-]+)*$/u;
export const textRuleMaxLength = 100;
/** Most text rules a site may have. */
export const textRulesPerSite = 200;

/** What a visitor is told when a text rule closes their chat and the site set no message of its own. */
export const textRuleClosingText = 'This chat was closed because a message broke the rules of this site.';

const words = (text: string): string[] =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}'-]+/gu) ?? [];

/**
 * The first of `rules` the visitor's `text` contains as whole words (case-insensitive, any spacing
 * or punctuation between them), or null. Linear in the text's words times the rules' words.
 */
export function matchTextRule(rules: readonly string[], text: string): string | null {
  const said = words(text);
  for (const rule of rules) {
    const phrase = words(rule);
    if (phrase.length === 0) continue;
    for (let start = 0; start + phrase.length <= said.length; start += 1)
      if (phrase.every((word, offset) => said[start + offset] === word)) return rule;
  }
  return null;
}

/** The event of a chat a text rule closed (TR). */
export function textRuleEvent(): RoutingEvent {
  return routingEvent('TR');
}
