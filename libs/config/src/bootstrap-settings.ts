import { hostname } from 'node:os';
import { resolve } from 'node:path';

/** Settings a process needs before it can reach the database: read from the environment only. */
export interface BootstrapSettings {
  /** `sqlite:<file>` (embedded) or `mysql://user:pass@host:port/db` (cluster). */
  readonly databaseUrl: string;
  /** `memory` runs the in-process cluster adapter; `hazelcast` joins the members below. */
  readonly clusterMode: 'memory' | 'hazelcast';
  readonly hazelcastMembers: readonly string[];
  readonly hazelcastClusterName: string;
  /** HTTP (and socket.io) port of this process. */
  readonly port: number;
  /** Interface to listen on. */
  readonly host: string;
  /** The seed's DATADIR: media, the SQLite file and logs live under it. */
  readonly dataDirectory: string;
  /** Identifies this process in logs, cluster events and metrics. */
  readonly nodeId: string;
  /** How long a stopping process fails its health check before closing its sockets. */
  readonly drainMs: number;
}

export class BootstrapSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n  - ${problems.join('\n  - ')}\nSee docs/operations.md ("Environment").`);
    this.name = 'BootstrapSettingsError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads the bootstrap settings from the environment, with the embedded defaults. Every problem is
 * reported at once, each naming its variable and what it accepts.
 */
export function loadBootstrapSettings(
  environment: Environment,
  defaults: { readonly port: number; readonly service: string },
): BootstrapSettings {
  const problems: string[] = [];
  const dataDirectory = resolve(environment.DATADIR ?? 'data');
  const databaseUrl =
    environment.SWITCHBOARD_DATABASE_URL ?? `sqlite:${resolve(dataDirectory, 'switchboard.db')}`;
  if (!/^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(databaseUrl)) {
    problems.push('SWITCHBOARD_DATABASE_URL must start with sqlite:, mysql:// or mariadb://');
  }
  const clusterMode = environment.SWITCHBOARD_CLUSTER ?? 'memory';
  if (clusterMode !== 'memory' && clusterMode !== 'hazelcast') {
    problems.push(`SWITCHBOARD_CLUSTER must be memory or hazelcast (got ${JSON.stringify(clusterMode)})`);
  }
  const hazelcastMembers = (environment.SWITCHBOARD_HAZELCAST_MEMBERS ?? '127.0.0.1:5701')
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member.length > 0);
  for (const member of hazelcastMembers) {
    if (!/^[\w.-]+:\d{1,5}$/.test(member)) {
      problems.push(
        `SWITCHBOARD_HAZELCAST_MEMBERS entries must be host:port (got ${JSON.stringify(member)})`,
      );
    }
  }
  const port = parsePort(environment.PORT, defaults.port, problems);
  // note: in the cluster HAProxy checks every 2 s and marks a node down after 2 failures.
  const drainMs = Number(environment.SWITCHBOARD_DRAIN_MS ?? (clusterMode === 'hazelcast' ? 4500 : 0));
  if (!Number.isInteger(drainMs) || drainMs < 0 || drainMs > 120_000) {
    problems.push(
      `SWITCHBOARD_DRAIN_MS must be an integer between 0 and 120000 (got ${JSON.stringify(environment.SWITCHBOARD_DRAIN_MS)})`,
    );
  }
  if (problems.length > 0) throw new BootstrapSettingsError(problems);
  return {
    databaseUrl,
    clusterMode: clusterMode as BootstrapSettings['clusterMode'],
    hazelcastMembers,
    hazelcastClusterName: environment.SWITCHBOARD_HAZELCAST_CLUSTER_NAME ?? 'switchboard',
    port,
    host: environment.HOST ?? '0.0.0.0',
    dataDirectory,
    nodeId: environment.SWITCHBOARD_NODE_ID ?? `${defaults.service}@${hostname()}:${port}`,
    drainMs,
  };
}

function parsePort(raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer between 0 and 65535 (got ${JSON.stringify(raw)})`);
  }
  return port;
}
