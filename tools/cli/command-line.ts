/**
 * Reads a command's arguments the way every Switchboard command does: a usage error prints the
 * message and the usage on stderr and exits 2, `--help` prints the usage and exits 0.
 * Returns the parsed command, or the exit code when there is nothing more to do.
 */
export function readCommandLine<TCommand>(
  argv: readonly string[],
  parse: (args: readonly string[]) => TCommand | 'help',
  usage: string,
): TCommand | { readonly exitCode: number } {
  let command: TCommand | 'help';
  try {
    command = parse(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (command !== 'help') return command;
  process.stdout.write(usage);
  return { exitCode: 0 };
}

/** True for what `readCommandLine` returns when the command is done. */
export function isExit(value: unknown): value is { readonly exitCode: number } {
  return typeof value === 'object' && value !== null && 'exitCode' in value;
}
