import { firstLineEvent, formatSeconds, routingEvent, secondsBetween } from './routing-event';

describe('routing events', () => {
  it('fills the glossary text of a code', () => {
    expect(routingEvent('AC', { username: 'anna' })).toEqual({
      code: 'AC',
      text: 'Operator anna Sent auto pickup request',
    });
  });

  it('numbers the first operator line by operator index (FLx)', () => {
    expect(firstLineEvent(2)).toEqual({ code: 'FL2', text: 'First line received from operator.' });
  });

  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.2, '1m'],
    [120, '2m'],
    [150, '2m 30s'],
    [-5, '0s'],
  ])('formats %d seconds as %s', (seconds, expected) => {
    expect(formatSeconds(seconds)).toBe(expected);
  });

  it('counts whole seconds and never goes negative', () => {
    const start = new Date('2026-01-05T10:00:00.000Z');
    expect(secondsBetween(start, new Date('2026-01-05T10:00:01.999Z'))).toBe(1);
    expect(secondsBetween(start, new Date('2026-01-05T09:59:00Z'))).toBe(0);
  });
});
