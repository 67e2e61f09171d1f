import { Logger } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import { AppLogger } from './app-logger';
import { withChatLog } from './chat-log-context';
import { LogRing } from './log-ring.destination';
import { loadLogSettings } from './log-settings';
import { SecretMask } from './secret-mask';

const bootstrap = { clusterMode: 'hazelcast', nodeId: 'routing@spec' } as BootstrapSettings;

/** An app logger on `environment` whose lines are kept as parsed JSON (and in its ring). */
function makeLogger(environment: Record<string, string> = {}) {
  const written: string[] = [];
  const mask = new SecretMask();
  const ring = new LogRing(mask, 3);
  const logger = new AppLogger({
    settings: loadLogSettings(environment, bootstrap),
    nodeId: bootstrap.nodeId,
    service: 'routing',
    mask,
    ring,
    output: { write: (line: string) => written.push(line) },
  });
  const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, ring, written, lines };
}

describe('the app logger', () => {
  it('writes one JSON object per line with the node id, the module and the level', () => {
    const { logger, lines } = makeLogger();
    logger.log('routing pass done', 'Routing');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 30,
        node: 'routing@spec',
        context: 'Routing',
        msg: 'routing pass done',
      }),
    ]);
  });

  it('adds the chat uid to the lines written for a chat, awaited work included', async () => {
    const { logger, lines } = makeLogger();
    await withChatLog('chat-42', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn('agent left', 'Routing');
    });
    logger.log('no chat here', 'Routing');
    expect(lines().map((line) => line.chat)).toEqual(['chat-42', undefined]);
  });

  it('redacts secret fields: auth string, apikey, passwords, tokens, at the top and one level down', () => {
    const { logger, written } = makeLogger();
    logger.module('Spec').info(
      {
        authString: 'auth-secret-1',
        apikey: 'apikey-secret-2',
        password: 'password-secret-3',
        token: 'token-secret-4',
        request: { headers: 'x', apiKey: 'apikey-secret-5', webhookSecret: 'hook-secret-6' },
        user: { password: 'password-secret-7', authorization: 'Bearer token-secret-8' },
      },
      'a request',
    );
    const line = written.join('');
    for (const secret of ['auth-secret-1', 'apikey-secret-2', 'password-secret-3', 'token-secret-4'])
      expect(line).not.toContain(secret);
    for (const secret of ['apikey-secret-5', 'hook-secret-6', 'password-secret-7', 'token-secret-8'])
      expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });

  it('masks a registered secret (the admin auth string) in messages, stacks and getlog.txt', () => {
    const { logger, written, ring } = makeLogger();
    logger.log('before: the auth string is admin-auth-123', 'Admin');
    logger.maskSecret('admin-auth-123');
    logger.error('after: admin-auth-123', 'Error: admin-auth-123\n    at spec', 'Admin');
    expect(written.slice(1).join('')).not.toContain('admin-auth-123');
    expect(ring.text()).not.toContain('admin-auth-123');
    expect(ring.text()).toContain('after: ***');
  });

  it('logs each module at its own level (SWITCHBOARD_LOG_LEVELS) over the default (SWITCHBOARD_LOG_LEVEL)', () => {
    const { logger, lines } = makeLogger({
      SWITCHBOARD_LOG_LEVEL: 'warn',
      SWITCHBOARD_LOG_LEVELS: 'Routing=debug, WhatsappOutbound=error',
    });
    logger.debug('routing detail', 'Routing');
    logger.log('messenger info', 'Messaging');
    logger.warn('messenger warning', 'Messaging');
    logger.warn('outbound warning', 'WhatsappOutbound');
    logger.error('outbound error', 'WhatsappOutbound');
    expect(lines().map((line) => line.msg)).toEqual([
      'routing detail',
      'messenger warning',
      'outbound error',
    ]);
  });

  it("puts Nest's route mapping and module loading at debug, so that info shows what a person needs", () => {
    const { logger, lines } = makeLogger();
    logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('routing ready', 'routing');
    expect(lines().map((line) => line.msg)).toEqual(['routing ready']);
    const verbose = makeLogger({ SWITCHBOARD_LOG_LEVELS: 'RouterExplorer=debug' });
    verbose.logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    expect(verbose.lines()).toEqual([expect.objectContaining({ level: 20, context: 'RouterExplorer' })]);
  });

  it('keeps the last lines in the ring, as text a person reads', () => {
    const { logger, ring } = makeLogger();
    for (const n of [1, 2, 3, 4]) logger.log(`line ${n}`, 'Spec');
    expect(ring.text().split('\n')).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO  \[Spec\] line 2$/),
      expect.stringMatching(/INFO  \[Spec\] line 3$/),
      expect.stringMatching(/INFO  \[Spec\] line 4$/),
    ]);
  });

  it('serves Nest loggers once attached (new Logger(Context) call sites keep working)', () => {
    const { logger, lines } = makeLogger();
    Logger.overrideLogger(logger);
    try {
      new Logger('Parameters').log('parameters loaded');
    } finally {
      Logger.overrideLogger(['log', 'error', 'warn']);
    }
    expect(lines()).toEqual([expect.objectContaining({ context: 'Parameters', msg: 'parameters loaded' })]);
  });

  it('refuses a bad level, naming the variable and every bad entry at once', () => {
    expect(() =>
      loadLogSettings({ SWITCHBOARD_LOG_LEVEL: 'loud', SWITCHBOARD_LOG_LEVELS: 'Routing=chatty' }, bootstrap),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'SWITCHBOARD_LOG_LEVEL must be fatal or error or warn or info or debug or trace or silent (got "loud")',
          'SWITCHBOARD_LOG_LEVELS entries must be Module=level, level one of fatal, error, warn, info, debug, trace, silent (got "Routing=chatty")',
        ],
      }) as Error,
    );
  });

  it('writes JSON in cluster mode and readable lines in the embedded mode unless told', () => {
    expect(loadLogSettings({}, bootstrap).format).toBe('json');
    expect(loadLogSettings({}, { ...bootstrap, clusterMode: 'memory' }).format).toBe('pretty');
    expect(
      loadLogSettings({ SWITCHBOARD_LOG_FORMAT: 'json' }, { ...bootstrap, clusterMode: 'memory' }).format,
    ).toBe('json');
  });
});
