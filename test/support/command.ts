import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

export interface Outcome {
  readonly code: number;
  readonly output: string;
}

/** Runs a command to its end; its exit code and its stdout followed by its stderr (never rejects). */
export function command(file: string, args: readonly string[], cwd = ROOT): Promise<Outcome> {
  return new Promise((done) => {
    execFile(file, args, { cwd, maxBuffer: 20_000_000 }, (error, stdout, stderr) => {
      done({
        code: error ? Number((error as { code?: number }).code ?? 1) : 0,
        output: `${stdout}${stderr}`,
      });
    });
  });
}
