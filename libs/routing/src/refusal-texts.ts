/** What a visitor is shown when routing does not take their chat: words for people, not the event log's. */
const REFUSAL_TEXTS: Readonly<Record<string, string>> = {
  OO: 'We are closed at the moment. Please come back during our opening hours.',
  OF: 'Nobody is available to chat right now. Please try again later.',
  CQM: 'All our agents are busy and the queue is full. Please try again in a few minutes.',
  CQT: 'All our agents are busy and the wait would be too long. Please try again in a few minutes.',
  QTO: 'Sorry, nobody could take your chat in time. Please try again later.',
  QL: 'Sorry, your chat was lost from our queue. Please start a new chat.',
  QERR: 'Sorry, your chat could not be routed because of an error on our side. Please start a new chat.',
};
const FALLBACK = 'Sorry, we cannot take your chat now. Please try again later.';

/**
 * The visitor's text for a refusal: the message the move carries (a rule's, the opening hours'),
 * else the site's offline message when nobody is there to answer (OO, OF), else a short explanation.
 */
export function refusalText(code: string, message: string | null, offlineMessage: string | null): string {
  if (message) return message;
  if ((code === 'OO' || code === 'OF') && offlineMessage) return offlineMessage;
  return REFUSAL_TEXTS[code] ?? FALLBACK;
}
