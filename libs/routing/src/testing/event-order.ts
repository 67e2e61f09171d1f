/** One stored chat event, as the event log holds it (read in id order). */
export interface LoggedEvent {
  readonly chatId: number;
  readonly code: string;
}

// Codes of a chat nobody holds: the intake's and the queue's.
const ROUTING_CODES = new Set(['MR', 'CNR', 'CQ', 'QM', 'AC', 'ACR', 'QAC', 'QALL', 'QON', 'WAC']);
const INTAKE_CODES = new Set(['MR', 'CNR']);
// Codes after which an agent holds the chat.
const HOLDING_CODES = new Set(['OP', 'ACQ', 'QMAN']);
// Codes after which the chat is back with routing.
const RELEASING_CODES = new Set(['OL', 'TRSS']);
const ENDING_CODES = new Set([
  'OC',
  'SX',
  'BX',
  'VC',
  'ST',
  'VT',
  'OF',
  'CQM',
  'CQT',
  'QTO',
  'QL',
  'QERR',
  'OO',
  'TR',
  'SC',
]);
// May follow an ending in the log: the loser of a pickup race, the SK text a refusal stores with its
// code, and the reopening of the chat (UC).
const AFTER_ENDING = new Set(['OPF', 'SK', 'UC']);

type Phase = 'intake' | 'routing' | 'held' | 'ended';

/**
 * The places where the event log does not read in the order things happened, one line each: an
 * intake or queue code after an agent took the chat (and before it was released), an intake code
 * after the chat was already queued or offered, any move after the chat ended.
 */
export function eventOrderViolations(events: readonly LoggedEvent[]): string[] {
  const phases = new Map<number, Phase>();
  const violations: string[] = [];
  for (const [index, { chatId, code }] of events.entries()) {
    const phase = phases.get(chatId) ?? 'intake';
    const wrong =
      (phase === 'ended' && !AFTER_ENDING.has(code)) ||
      (phase === 'held' && ROUTING_CODES.has(code)) ||
      (phase === 'routing' && INTAKE_CODES.has(code));
    if (wrong) violations.push(`chat ${chatId}: ${code} after it was ${phase} (event ${index})`);
    phases.set(chatId, nextPhase(phase, code));
  }
  return violations;
}

function nextPhase(phase: Phase, code: string): Phase {
  // A reopened chat (UC) starts over: routing takes it in as new.
  if (code === 'UC') return 'intake';
  if (phase === 'ended' || ENDING_CODES.has(code)) return 'ended';
  if (HOLDING_CODES.has(code)) return 'held';
  if (code === 'TRSS') return 'intake';
  if (RELEASING_CODES.has(code) || (phase === 'intake' && ROUTING_CODES.has(code) && !INTAKE_CODES.has(code)))
    return 'routing';
  return phase;
}
