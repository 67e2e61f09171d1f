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

describe('a secret parameter (ACD.Chat.Ldap.BindPassword)', () => {
  const name = 'ACD.Chat.Ldap.BindPassword';
  const secret = 'bind-Pa55word-never-shown';

  it('is used by the service but shown as *** (empty when unset), in views, answers and events', async () => {
    const lines: string[] = [];
    const logger = { log: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
    const published: ClusterEvent[] = [];
    const service = new ParameterService(
      new MemoryParameterStore(),
      (event) => Promise.resolve(published.push(event)),
      'test@node1',
      {},
      logger,
    );
    expect(service.view(name)).toMatchObject({ value: '', defaultValue: '' });
    const change = await service.set(name, secret, 'admin');
    expect(change).toEqual({ name, previous: '', current: '***' });
    expect(service.get(name)).toBe(secret);
    expect(service.view(name).value).toBe('***');
    expect(service.list().find((view) => view.name === name)?.value).toBe('***');
    expect(JSON.stringify({ published, lines })).not.toContain(secret);
    expect(published).toEqual([expect.objectContaining({ name, value: '***' })]);
  });

  it('is never repeated in a refusal', async () => {
    const { service } = makeService();
    const tooLong = `${secret}${'x'.repeat(300)}`;
    const attempt = service.set(name, tooLong, 'admin');
    await expect(attempt).rejects.toThrow(`${name} must be a text of at most 256 characters`);
    await expect(attempt).rejects.not.toThrow(secret);
  });

  it('is read again from the store when another process changed it', async () => {
    const store = new MemoryParameterStore();
    const { service } = makeService({}, store);
    store.rows.set(name, secret);
    service.applyEvent({
      type: 'parameter.changed',
      origin: 'admin-api@node2',
      at: new Date().toISOString(),
      name,
      value: '***',
      changedBy: 'admin',
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(service.get(name)).toBe(secret);
  });
});

describe('the LDAP parameters refuse what cannot work, with the rule', () => {
  it.each([
    [
      'ACD.Chat.Ldap.Url',
      'http://dc1.example.com',
      'empty or an absolute URL starting with ldap:// or ldaps://',
    ],
    ['ACD.Chat.Ldap.Url', 'dc1.example.com', 'empty or an absolute URL starting with ldap:// or ldaps://'],
    ['ACD.Chat.Ldap.Domain', 'example com', 'a DNS domain name'],
    ['ACD.Chat.Ldap.UserBind', 'uid=alice,dc=example,dc=com', 'containing {username}'],
    ['ACD.Chat.Ldap.UserFilter', 'uid={username}', 'an LDAP filter in parentheses'],
    ['ACD.Chat.Ldap.SearchBase', 'example.com', 'a distinguished name'],
    ['ACD.Chat.Ldap.Tls.CaFile', 'certs/ca.pem', 'an absolute path'],
    ['ACD.Chat.Ldap.GroupRoles', '{"cn=x,dc=y":"root"}', 'one of agent, supervisor, administrator'],
    ['ACD.Chat.Ldap.GroupRoles', '["supervisor"]', 'a JSON object'],
    ['ACD.Chat.Ldap.GroupRoles', '{"x": ["supervisor"]}', 'a JSON object'],
    ['ACD.Chat.Ldap.GroupRoles', 'not json', 'a JSON object'],
    ['ACD.Chat.Ldap.Timeout.Milliseconds', '10', 'an integer between 500 and 60000'],
  ])('%s refuses %j', async (name, value, rule) => {
    const { service, store } = makeService();
    const attempt = service.set(name, value, 'admin');
    await expect(attempt).rejects.toThrow(ParameterValidationError);
    await expect(attempt).rejects.toThrow(rule);
    expect(store.audit).toEqual([]);
  });

  it.each([
    ['ACD.Chat.Ldap.Url', 'ldaps://dc1.example.com:636'],
    ['ACD.Chat.Ldap.Url', ''],
    ['ACD.Chat.Ldap.Domain', 'corp.example.com'],
    ['ACD.Chat.Ldap.UserBind', 'EXAMPLE\\{username}'],
    ['ACD.Chat.Ldap.UserBind', 'uid={username},ou=people,dc=example,dc=com'],
    ['ACD.Chat.Ldap.SearchBase', 'dc=example,dc=com'],
    ['ACD.Chat.Ldap.Tls.CaFile', '/etc/ssl/certs/corp-ca.pem'],
    [
      'ACD.Chat.Ldap.GroupRoles',
      '{"cn=chat-supervisors,ou=groups,dc=example,dc=com":"supervisor","Chat Admins":"administrator"}',
    ],
  ])('%s accepts %j', async (name, value) => {
    const { service } = makeService();
    await expect(service.set(name, value, 'admin')).resolves.toMatchObject({ name });
  });
});
