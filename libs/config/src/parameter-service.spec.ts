import type { ClusterEvent } from '@switchboard/protocol';
import { ParameterService, ParameterStore, type ParameterChange } from './parameter-service';
import { ParameterValidationError, UnknownParameterError } from './parameter-types';

class MemoryParameterStore extends ParameterStore {
  readonly rows = new Map<string, string>();
  readonly audit: Array<{ name: string; value: string | null; changedBy: string }> = [];

  list() {
    return Promise.resolve([...this.rows].map(([name, value]) => ({ name, value })));
  }

  save(name: string, value: string | null, changedBy: string) {
    const previous = this.rows.get(name) ?? null;
    if (value === null) this.rows.delete(name);
    else this.rows.set(name, value);
    this.audit.push({ name, value, changedBy });
    return Promise.resolve({ previous });
  }
}

const silent = { log: () => undefined, warn: () => undefined };

function makeService(environment: Record<string, string> = {}, store = new MemoryParameterStore()) {
  const published: ClusterEvent[] = [];
  const service = new ParameterService(
    store,
    (event) => Promise.resolve(published.push(event)),
    'test@node1',
    environment,
    silent,
  );
  return { service, store, published };
}

describe('ParameterService', () => {
  it('serves the registry default when nothing is stored', () => {
    const { service } = makeService();
    expect(service.get('ACD.Chat.Inactivity.Timeout.Minutes')).toBe(15);
    expect(service.view('ACD.Chat.Agent.DefaultMaxChats')).toMatchObject({ value: 0, source: 'default' });
  });

  it('stores, audits, publishes and applies a valid change', async () => {
    const { service, store, published } = makeService();
    const change = await service.set('ACD.Chat.Queue.MaxLength', '20', 'admin');
    expect(change).toEqual({ name: 'ACD.Chat.Queue.MaxLength', previous: 50, current: 20 });
    expect(service.get('ACD.Chat.Queue.MaxLength')).toBe(20);
    expect(store.audit).toEqual([{ name: 'ACD.Chat.Queue.MaxLength', value: '20', changedBy: 'admin' }]);
    expect(published).toEqual([
      expect.objectContaining({ type: 'parameter.changed', name: 'ACD.Chat.Queue.MaxLength', value: '20' }),
    ]);
  });

  it('refuses an out-of-range value with a message naming the parameter and the rule, storing nothing', async () => {
    const { service, store, published } = makeService();
    const attempt = service.set('ACD.Chat.Queue.MaxLength', '-3', 'admin');
    await expect(attempt).rejects.toThrow(ParameterValidationError);
    await expect(attempt).rejects.toThrow(
      'ACD.Chat.Queue.MaxLength must be an integer between 0 and 100000 (got "-3")',
    );
    expect(store.audit).toHaveLength(0);
    expect(published).toHaveLength(0);
  });

  it('refuses a URL with the wrong scheme', async () => {
    const { service } = makeService();
    await expect(service.set('ACD.Chat.Server.Base.URL', 'ftp://lb:3000', 'admin')).rejects.toThrow(
      /ACD.Chat.Server.Base.URL must be an absolute URL starting with ws:\/\//,
    );
  });

  it('refuses an unknown parameter', async () => {
    const { service } = makeService();
    await expect(service.set('ACD.Chat.Nope', '1', 'admin')).rejects.toThrow(UnknownParameterError);
  });

  it('resets to the default when set to null', async () => {
    const { service } = makeService();
    await service.set('ACD.Chat.Distribution.Mode', 'manual', 'admin');
    await service.set('ACD.Chat.Distribution.Mode', null, 'admin');
    expect(service.view('ACD.Chat.Distribution.Mode')).toMatchObject({ value: 'auto', source: 'default' });
  });

  it('lets the environment override the database', async () => {
    const { service } = makeService({ ACD_CHAT_QUEUE_MAXLENGTH: '7' });
    await service.set('ACD.Chat.Queue.MaxLength', '20', 'admin');
    expect(service.view('ACD.Chat.Queue.MaxLength')).toMatchObject({ value: 7, source: 'environment' });
  });

  it('refuses to start with an invalid environment override', () => {
    expect(() => makeService({ ACD_CHAT_LOG_ROUTING: 'maybe' })).toThrow(
      'ACD.Chat.Log.Routing must be true or false',
    );
  });

  it('ignores a stored value that breaks its rule and keeps the default', async () => {
    const store = new MemoryParameterStore();
    store.rows.set('ACD.Chat.Queue.MaxTime.Seconds', 'soon');
    const { service } = makeService({}, store);
    await service.reloadAll();
    expect(service.get('ACD.Chat.Queue.MaxTime.Seconds')).toBe(900);
  });

  it('applies a change published by another process and tells its listeners', () => {
    const { service } = makeService();
    const changes: ParameterChange[] = [];
    service.onChange((change) => changes.push(change));
    service.applyEvent({
      type: 'parameter.changed',
      origin: 'admin-api@node2',
      at: new Date().toISOString(),
      name: 'ACD.Chat.Inactivity.Timeout.Minutes',
      value: '30',
      changedBy: 'admin',
    });
    expect(service.get('ACD.Chat.Inactivity.Timeout.Minutes')).toBe(30);
    expect(changes).toEqual([{ name: 'ACD.Chat.Inactivity.Timeout.Minutes', previous: 15, current: 30 }]);
  });

  it('ignores an invalid change published by another process', () => {
    const { service } = makeService();
    service.applyEvent({
      type: 'parameter.changed',
      origin: 'admin-api@node2',
      at: new Date().toISOString(),
      name: 'ACD.Chat.Inactivity.Timeout.Minutes',
      value: '0',
      changedBy: 'admin',
    });
    expect(service.get('ACD.Chat.Inactivity.Timeout.Minutes')).toBe(15);
  });
});
