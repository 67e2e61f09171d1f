import { formatLogLine } from './log-line.format';
import type { SecretMask } from './secret-mask';

/** @default lines kept by {@link LogRing} */
const defaultMaxLines = 20_000;

/**
 * A pino destination that keeps the last `maxLines` lines of this process's log in memory: WhosOn's
 * getlog.txt. Each line is kept as a person reads it; registered secrets never show in `text()`.
 */
export class LogRing {
  private readonly lines: string[] = [];
  readonly startedAt = new Date();

  constructor(
    private readonly mask: SecretMask,
    private readonly maxLines = defaultMaxLines,
  ) {}

  /** pino's destination interface: one JSON line per call. */
  write(line: string): void {
    this.lines.push(formatLogLine(line));
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  text(): string {
    return this.mask.apply(this.lines.join('\n'));
  }
}
