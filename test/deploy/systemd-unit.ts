import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';

/** The [Service] settings of a unit file, with `%i` replaced by the instance name. */
export function serviceSettings(unitFile: string, instance = ''): Map<string, string> {
  const settings = new Map<string, string>();
  let section = '';
  for (const line of readFileSync(unitFile, 'utf8').split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line.trim());
    if (header) section = header[1];
    const setting = /^(\w+)=(.*)$/.exec(line);
    if (section === 'Service' && setting) settings.set(setting[1], setting[2].replaceAll('%i', instance));
  }
  return settings;
}

/** An EnvironmentFile as systemd reads it: KEY=VALUE lines, # comments, the value is the rest of the line. */
export function environmentFile(path: string): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const setting = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (setting) environment[setting[1]] = setting[2];
  }
  return environment;
}

/**
 * Runs a unit's ExecStart as systemd would (its WorkingDirectory, its EnvironmentFile as the
 * environment, `${VAR}` expanded from it), supervised by the caller instead of systemd; output to `logFile`.
 */
export function startUnit(unitFile: string, instance: string, logFile: string): ChildProcess {
  const settings = serviceSettings(unitFile, instance);
  const environment = environmentFile(settings.get('EnvironmentFile')!);
  const [command, ...args] = settings
    .get('ExecStart')!
    .split(/\s+/)
    .map((word) => word.replace(/\$\{(\w+)\}/g, (_, name: string) => environment[name] ?? ''));
  const log = openSync(logFile, 'a');
  return spawn(command, args, {
    cwd: settings.get('WorkingDirectory'),
    env: { PATH: process.env.PATH, ...environment },
    stdio: ['ignore', log, log],
  });
}
