import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseTopology, TopologyError } from './haproxy-topology';
import { renderHaproxyConfig } from './render-haproxy-config';

export const USAGE = `Usage: npm run haproxy:config -- [--topology FILE] [options] [--out FILE]

Renders haproxy.cfg (HAProxy 2.6) for a Switchboard cluster: ws and wss frontends, TynTec webhooks
(/incoming, /delivery) to the whatsapp connectors, everything else to the client-messenger nodes.

  --topology FILE                        topology JSON (every field: haproxy/topology.example.json)
  --client-messenger [NAME=]HOST:PORT    a client-messenger node; repeat; replaces the file's list
  --whatsapp-connector [NAME=]HOST:PORT  a whatsapp-connector node; repeat; replaces the file's list
  --ws-port PORT                         ws frontend port (default 3000)
  --wss-port PORT                        wss frontend port (default 3003)
  --bind-address ADDRESS                 interface of both frontends (default: all)
  --internal-port PORT                   internal frontend (also /metrics, /health/ready; default: none)
  --internal-bind-address ADDRESS        interface of the internal frontend (default 127.0.0.1)
  --certificate FILE                     PEM (chain + key) of the wss frontend
  --stats-socket PATH                    runtime API socket
  --maxconn N                            global connection limit (default: from the open-files limit)
  --log TARGET                           global log target, e.g. /dev/log or stdout (default: none)
  --out FILE                             write the configuration there (default: stdout)
  --help                                 this text

Flags override the topology file. Exit codes: 0 written, 1 invalid topology or I/O error, 2 usage.`;

const OPTIONS = {
  topology: { type: 'string' },
  'client-messenger': { type: 'string', multiple: true },
  'whatsapp-connector': { type: 'string', multiple: true },
  'ws-port': { type: 'string' },
  'wss-port': { type: 'string' },
  'bind-address': { type: 'string' },
  'internal-port': { type: 'string' },
  'internal-bind-address': { type: 'string' },
  certificate: { type: 'string' },
  'stats-socket': { type: 'string' },
  maxconn: { type: 'string' },
  log: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export interface GenerateRequest {
  readonly help: boolean;
  /** Topology as read from the file, flags merged over it; validated by `parseTopology`. */
  readonly topology: Record<string, unknown>;
  readonly generatedFrom?: string;
  readonly out?: string;
}

/** Turns the command line into what to render; `readFile` reads the topology file. */
export function parseCommandLine(
  argv: readonly string[],
  readFile: (path: string) => string,
): GenerateRequest {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  const fromFile = values.topology === undefined ? {} : (JSON.parse(readFile(values.topology)) as object);
  const flags = {
    clientMessengers: values['client-messenger']?.map(serverFlag),
    whatsappConnectors: values['whatsapp-connector']?.map(serverFlag),
    wsPort: numberFlag(values['ws-port']),
    wssPort: numberFlag(values['wss-port']),
    bindAddress: values['bind-address'],
    internalPort: numberFlag(values['internal-port']),
    internalBindAddress: values['internal-bind-address'],
    certificate: values.certificate,
    statsSocket: values['stats-socket'],
    maxconn: numberFlag(values.maxconn),
    log: values.log,
  };
  const given = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
  return {
    help: values.help ?? false,
    topology: { ...fromFile, ...given },
    generatedFrom:
      values.topology === undefined ? undefined : relative(process.cwd(), resolve(values.topology)),
    out: values.out,
  };
}

function serverFlag(value: string): string | { name: string; address: string } {
  const separator = value.indexOf('=');
  return separator < 0 ? value : { name: value.slice(0, separator), address: value.slice(separator + 1) };
}

function numberFlag(value: string | undefined): number | undefined {
  // A non-number stays visible to the validation as NaN, which it rejects with the field's name.
  return value === undefined ? undefined : Number(value);
}

function main(argv: readonly string[]): number {
  let request: GenerateRequest;
  try {
    request = parseCommandLine(argv, (path) => readFileSync(path, 'utf8'));
  } catch (error) {
    const isUsage = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ?? false;
    process.stderr.write(`generate-haproxy-config: ${(error as Error).message}\n`);
    if (isUsage) process.stderr.write('Run with --help for the options.\n');
    return isUsage ? 2 : 1;
  }
  if (request.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const config = renderHaproxyConfig(parseTopology(request.topology), {
      generatedFrom: request.generatedFrom,
    });
    if (request.out === undefined) {
      process.stdout.write(config);
    } else {
      writeFileSync(request.out, config);
      process.stderr.write(`wrote ${request.out}\n`);
    }
    return 0;
  } catch (error) {
    const message = error instanceof TopologyError ? error.message : String(error);
    process.stderr.write(`generate-haproxy-config: ${message}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
