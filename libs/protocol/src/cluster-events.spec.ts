import { parseClusterEvent } from './cluster-events';

const at = '2026-11-24T10:00:00.000Z';

describe('cluster events', () => {
  it('accepts a parameter change', () => {
    const parsed = parseClusterEvent({
      type: 'parameter.changed',
      origin: 'admin-api@node1',
      at,
      name: 'ACD.Chat.Queue.MaxLength',
      value: '20',
      changedBy: 'admin',
    });
    expect(parsed.ok).toBe(true);
  });

  it('rejects an unknown event type with a message naming the field', () => {
    const parsed = parseClusterEvent({ type: 'nope', origin: 'x', at });
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining('type') as string });
  });

  it('rejects a reload of an unknown target', () => {
    const parsed = parseClusterEvent({ type: 'reload', origin: 'x', at, target: 'everything' });
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining('target') as string });
  });
});
