/**
 * The chat event codes of the WhosOn glossary (seed 000_6f07f440944634f4.txt, "Chat Event Codes").
 * Every chat event stored by Switchboard carries one of these codes; `text` is the template with
 * `%placeholders%` filled by `formatEventText`.
 */
export const EVENT_CODES = {
  AC: 'Operator %username% Sent auto pickup request',
  ACB: 'Operator %username% Auto Accept No Support',
  ACQ: 'Operator %username% acquired chat session.',
  ACR: 'Operator %username% Sent Auto Pickup Request Retry',
  BOT: 'Bot %botname% picked up chat session.',
  BX: 'Operator Blocked Visitor',
  CNR: 'Chat accepted with no routing rule',
  CQ: 'Chat Queued as Operators are currently talking to other users. Queue Length %position%. expected time %expected%',
  CQM: 'Chat not queued because the queue is full',
  CQT: 'Chat not queued because the queue expected time is exceeded',
  CS: 'Concierge step has taken place.',
  FL: 'First line received from operator.',
  MR: '%channel% Matched skill rule: %rule%',
  OC: 'Operator %username% Forced Closed Session',
  OF: 'Chat not taken as no suitable operators are online to take the chat',
  OL: 'Operator %username% Left The Session',
  OO: 'Chat not taken as outside site-defined opening hours',
  OP: 'Operator %username% Picked up Session',
  OPF: 'Operator %username% Failed to Picked up session as already taken',
  PS: 'Post-chat survey submitted (%visitorname%)',
  QAC: 'Operator %username% Sent Auto Pickup Request from Queue after %waitedForSecs% seconds',
  QALL: 'Chat Sent To Online Users From Queue',
  QERR: 'Removed from queue due to queue error',
  QL: 'Server Side Queue Loss of Session',
  QM: '%message%',
  QMAN: 'Chat Removed From Queue Manually By %username%',
  QON: 'Chat Sent To Online User From Queue',
  QR: 'Operator %username% removed session from queue. Position %position% queued for %seconds% seconds.',
  QTO: 'Server Side Time-Out of Queued Chat',
  RMS: 'Automatic Rule Message',
  SC: 'Webhook forced closed session',
  SCR: 'Server Side Script Closed Session',
  SK: '%message%',
  ST: 'Server Side Time-Out of Session',
  SX: 'Operator %username% softed closed the conversation.',
  TAC: 'Operator %username% sent auto pickup request from transfer',
  TFEF: 'Transfer failed could not be sent.',
  TFER: 'Transfer request to %targets%',
  TR: 'text rule forced closed session',
  TRSF: 'Site transfer failed from %domain% to %newdomain%',
  TRSS: 'Site transfer from %domain% to %newdomain%',
  UC: 'Chat unclosed. Old state was %state%',
  VC: 'Visitor Closed Session',
  VT: 'Visitor Client Side Time-Out',
  WAC: 'Operator %username% sent auto pickup request from waiting chat',
} as const;

export type EventCode = keyof typeof EVENT_CODES;

export function isEventCode(value: string): value is EventCode {
  return Object.prototype.hasOwnProperty.call(EVENT_CODES, value);
}

/**
 * Fills the code's text template. Unknown placeholders stay visible (`%name%`) so a missing value
 * shows in the transcript instead of silently disappearing.
 */
export function formatEventText(
  code: EventCode,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return EVENT_CODES[code].replace(/%([a-z]+)%/gi, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}

/** The stored code of a first operator line: FL followed by the operator's index in the transcript (FL1, FL2…). */
export function firstLineCode(operatorIndex: number): string {
  return `FL${operatorIndex}`;
}
