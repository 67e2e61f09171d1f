import { EVENT_CODES, firstLineCode, formatEventText, isEventCode } from './event-codes';

describe('event codes', () => {
  it('fills the placeholders of a code text', () => {
    expect(formatEventText('OP', { username: 'anna' })).toBe('Operator anna Picked up Session');
  });

  it('keeps a placeholder visible when its value is missing', () => {
    expect(formatEventText('OP')).toBe('Operator %username% Picked up Session');
  });

  it('recognises the glossary codes and nothing else', () => {
    expect(isEventCode('CQM')).toBe(true);
    expect(isEventCode('toString')).toBe(false);
    expect(isEventCode('XX')).toBe(false);
  });

  it('numbers first operator lines by operator index', () => {
    expect(firstLineCode(2)).toBe('FL2');
  });

  it('uses only short upper-case codes, as stored in the database', () => {
    for (const code of Object.keys(EVENT_CODES)) expect(code).toMatch(/^[A-Z]{2,4}$/);
  });
});
