/** @default lines kept by {@link ProcessLog} */
const defaultMaxLines = 20_000;

/**
 * The log of this process's current run (WhosOn's getlog.txt): everything written to stdout and
 * stderr since `install`, the last `maxLines` lines kept in memory. Registered secrets are masked.
 */
export class ProcessLog {
  private static installed: ProcessLog | undefined;
  private readonly lines: string[] = [];
  private partial = '';
  private readonly secrets = new Set<string>();
  readonly startedAt = new Date();

  private constructor(private readonly maxLines: number) {}

  /** Starts capturing (once per process; later calls return the same log). */
  static install(maxLines = defaultMaxLines): ProcessLog {
    if (ProcessLog.installed) return ProcessLog.installed;
    const log = new ProcessLog(maxLines);
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
      stream.write = (chunk: unknown, ...rest: unknown[]) => {
        log.append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return write(chunk, ...rest);
      };
    }
    ProcessLog.installed = log;
    return log;
  }

  /** Never shows `secret` in `text()`, whenever it was written. */
  mask(secret: string): void {
    if (secret !== '') this.secrets.add(secret);
  }

  append(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  text(): string {
    let text = [...this.lines, this.partial].join('\n');
    for (const secret of this.secrets) text = text.split(secret).join('***');
    // Colour codes of Nest's console logger are noise in a text file.

    return text.replace(/\u001b\[[0-9;]*m/g, '');
  }
}
