/** The fields of a log line as the app logger writes them (pino's JSON). */
interface LogRecord {
  readonly time?: number;
  readonly level?: number;
  readonly node?: string;
  readonly context?: string;
  readonly chat?: string;
  readonly msg?: string;
  readonly stack?: string;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/**
 * One JSON log line as a line a person reads: `2026-12-03 13:40:01.123 INFO  [Routing] text (chat c-1)`,
 * a stack on the lines after it. Used for `npm start` and for getlog.txt.
 */
export function formatLogLine(json: string): string {
  let record: LogRecord;
  try {
    record = JSON.parse(json) as LogRecord;
  } catch {
    return json.trimEnd();
  }
  const time = new Date(record.time ?? Date.now()).toISOString().replace('T', ' ').slice(0, 23);
  const level = (LEVEL_NAMES[record.level ?? 30] ?? 'INFO').padEnd(5);
  const context = record.context ? ` [${record.context}]` : '';
  const chat = record.chat ? ` (chat ${record.chat})` : '';
  const stack = record.stack ? `\n${record.stack}` : '';
  return `${time} ${level}${context} ${record.msg ?? ''}${chat}${stack}`;
}
