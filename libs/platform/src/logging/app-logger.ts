import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as PinoLogger } from 'pino';
import { currentChatUid } from './chat-log-context';
import { formatLogLine } from './log-line.format';
import type { LogRing } from './log-ring.destination';
import type { LogLevel, LogSettings } from './log-settings';
import type { SecretMask } from './secret-mask';

/** Where log lines are written (besides getlog.txt's ring): `process.stdout` unless a test says. */
export interface LogOutput {
  write(line: string): unknown;
}

/**
 * Nest's own start-up lines (every module loaded, every route mapped): logged at debug, so that
 * `npm start` shows what a person needs.
 */
const FRAMEWORK_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
  'WebSocketsController',
]);

/** Fields that never reach a log line, at the top of a logged object or one level down. */
export const REDACTED_FIELDS = [
  'authString',
  'auth',
  'password',
  'apikey',
  'apiKey',
  'token',
  'secret',
  'webhookSecret',
  'authorization',
  'cookie',
];

export interface AppLoggerOptions {
  readonly settings: LogSettings;
  readonly nodeId: string;
  readonly service: string;
  readonly mask: SecretMask;
  readonly ring: LogRing;
  /** @default process.stdout */
  readonly output?: LogOutput;
}

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, Exclude<LogLevel, 'silent'>> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * The process's logger: pino, one line per event with `node` (and `chat` inside `withChatLog`), JSON
 * or pretty, each module (a Nest logger's context) at its own level, secrets redacted. Attached with
 * `app.useLogger`, so every `new Logger(Context)` writes through it.
 */
export class AppLogger implements LoggerService {
  readonly root: PinoLogger;
  private readonly modules = new Map<string, PinoLogger>();

  constructor(private readonly options: AppLoggerOptions) {
    const output = options.output ?? process.stdout;
    const console: LogOutput =
      options.settings.format === 'pretty'
        ? { write: (line: string) => output.write(`${formatLogLine(line)}\n`) }
        : output;
    this.root = pino(
      {
        level: options.settings.level,
        base: { node: options.nodeId, service: options.service },
        mixin: () => {
          const chat = currentChatUid();
          return chat === undefined ? {} : { chat };
        },
        redact: {
          paths: REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]),
          censor: '[redacted]',
        },
      },
      pino.multistream([
        { level: 'trace', stream: console },
        { level: 'trace', stream: options.ring },
      ]),
    );
  }

  /** The logger of one module (a Nest context), at its own level (SWITCHBOARD_LOG_LEVELS) or the default. */
  module(context: string): PinoLogger {
    let logger = this.modules.get(context);
    if (!logger) {
      const level = this.options.settings.moduleLevels.get(context) ?? this.options.settings.level;
      logger = this.root.child({ context }, { level });
      this.modules.set(context, logger);
    }
    return logger;
  }

  /** Never shows `secret` in a log line or getlog.txt from now on. */
  maskSecret(secret: string): void {
    this.options.mask.add(secret);
  }

  log(message: unknown, ...parameters: unknown[]): void {
    this.write('log', message, parameters);
  }
  error(message: unknown, ...parameters: unknown[]): void {
    this.write('error', message, parameters);
  }
  warn(message: unknown, ...parameters: unknown[]): void {
    this.write('warn', message, parameters);
  }
  debug(message: unknown, ...parameters: unknown[]): void {
    this.write('debug', message, parameters);
  }
  verbose(message: unknown, ...parameters: unknown[]): void {
    this.write('verbose', message, parameters);
  }
  fatal(message: unknown, ...parameters: unknown[]): void {
    this.write('fatal', message, parameters);
  }

  /** Nest passes `(message, context)`, or for errors `(message, stack, context)`. */
  private write(nestLevel: NestLevel, message: unknown, parameters: unknown[]): void {
    const rest = [...parameters];
    const context = typeof rest.at(-1) === 'string' && rest.length > 0 ? (rest.pop() as string) : 'App';
    const stack = typeof rest[0] === 'string' && rest[0].includes('\n    at ') ? rest[0] : undefined;
    let level = PINO_LEVEL[nestLevel];
    if (level === 'info' && FRAMEWORK_CONTEXTS.has(context)) level = 'debug';
    const logger = this.module(context);
    if (!logger.isLevelEnabled(level)) return;
    const mask = (text: string) => this.options.mask.apply(text);
    if (message instanceof Error) {
      logger[level]({ stack: mask(message.stack ?? '') }, mask(message.message));
    } else if (typeof message === 'object' && message !== null) {
      logger[level](message);
    } else {
      logger[level](stack === undefined ? {} : { stack: mask(stack) }, mask(String(message)));
    }
  }
}
