import {
  choiceVariable,
  refuse,
  variable,
  type BootstrapSettings,
  type Environment,
} from '@switchboard/config';
import { parseEnvironment } from '@switchboard/config';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How this process logs (SWITCHBOARD_LOG_*). */
export interface LogSettings {
  /** The level of every module without an override. @default 'info' */
  readonly level: LogLevel;
  /** Per-module levels, by the logger's context (`Routing`, `WhatsappOutbound`, `RoutesResolver`…). */
  readonly moduleLevels: ReadonlyMap<string, LogLevel>;
  /** `json` (one object per line) or `pretty` (one readable line). @default json in cluster mode, else pretty */
  readonly format: 'json' | 'pretty';
}

const isLevel = (raw: string): raw is LogLevel => (LOG_LEVELS as readonly string[]).includes(raw);

const logEnvironmentSchema = z.object({
  SWITCHBOARD_LOG_LEVEL: choiceVariable(LOG_LEVELS, 'info'),
  SWITCHBOARD_LOG_LEVELS: variable<ReadonlyMap<string, LogLevel>>((raw) => {
    const levels = new Map<string, LogLevel>();
    const bad: string[] = [];
    for (const entry of raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')) {
      const [module, level, extra] = entry.split('=').map((part) => part.trim());
      if (module && level && extra === undefined && isLevel(level)) levels.set(module, level);
      else bad.push(entry);
    }
    return bad.length === 0
      ? levels
      : refuse(
          ...bad.map(
            (entry) =>
              `entries must be Module=level, level one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(entry)})`,
          ),
        );
  }, new Map()),
  SWITCHBOARD_LOG_FORMAT: choiceVariable(['json', 'pretty', 'auto'], 'auto'),
});

/** Reads SWITCHBOARD_LOG_LEVEL, SWITCHBOARD_LOG_LEVELS and SWITCHBOARD_LOG_FORMAT. */
export function loadLogSettings(environment: Environment, bootstrap: BootstrapSettings): LogSettings {
  const values = parseEnvironment(logEnvironmentSchema, environment);
  const format = values.SWITCHBOARD_LOG_FORMAT;
  return {
    level: values.SWITCHBOARD_LOG_LEVEL,
    moduleLevels: values.SWITCHBOARD_LOG_LEVELS,
    format: format === 'auto' ? (bootstrap.clusterMode === 'hazelcast' ? 'json' : 'pretty') : format,
  };
}
