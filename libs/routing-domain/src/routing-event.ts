import { type EventCode, firstLineCode, formatEventText } from '@switchboard/protocol';

/** A chat event to store with the chat: a glossary code (or `FLx`) and its filled text. */
export interface RoutingEvent {
  readonly code: EventCode | `FL${number}`;
  readonly text: string;
}

/** The event of a glossary code, its text filled by `formatEventText`. */
export function routingEvent(
  code: EventCode,
  values: Readonly<Record<string, string | number>> = {},
): RoutingEvent {
  return { code, text: formatEventText(code, values) };
}

/** A queue message (QM) shown to the visitor. */
export function queueMessage(message: string): RoutingEvent {
  return routingEvent('QM', { message });
}

/** A skill-rule event (SK) with one of the glossary's SK texts. */
export function skillRuleEvent(message: string): RoutingEvent {
  return routingEvent('SK', { message });
}

/** FLx: the first line of the operator at `operatorIndex` in the chat transcript. */
export function firstLineEvent(operatorIndex: number): RoutingEvent {
  return { code: firstLineCode(operatorIndex) as `FL${number}`, text: formatEventText('FL') };
}

/** Seconds as the visitor reads them: `45s`, `2m`, `2m 30s`. */
export function formatSeconds(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest}s`;
  return rest === 0 ? `${minutes}m` : `${minutes}m ${rest}s`;
}

/** Whole seconds from `since` to `now`, never negative. */
export function secondsBetween(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
}
