import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  choiceVariable,
  integerVariable,
  parseEnvironment,
  refuse,
  variable,
  type Environment,
} from './environment';
import {
  encryptionSettings,
  encryptionSourceProblems,
  encryptionVariables,
  type EncryptionSettings,
} from './encryption-settings';

// Every feature's environment problems are reported with this error; it was born here.
export { BootstrapSettingsError } from './environment';

/** Settings a process needs before it can reach the database: read from the environment only. */
export interface BootstrapSettings {
  /** `sqlite:<file>` (embedded) or `mysql://user:pass@host:port/db` (cluster). */
  readonly databaseUrl: string;
  /** `memory` runs the in-process cluster adapter; `hazelcast` joins the members below. */
  readonly clusterMode: 'memory' | 'hazelcast';
  readonly hazelcastMembers: readonly string[];
  readonly hazelcastClusterName: string;
  /** Hazelcast client timeouts (ms): one connection attempt (bounds the start), one operation, a silent member. */
  readonly hazelcastTimeouts: {
    readonly connectMs: number;
    readonly invocationMs: number;
    readonly heartbeatMs: number;
  };
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
  /** Column encryption: on or off, and where the keys come from. */
  readonly encryption: EncryptionSettings;
}

/** The platform's variables; defaults that depend on another variable are filled in afterwards. */
const bootstrapEnvironmentSchema = z.object({
  DATADIR: variable<string>((raw) => raw, 'data'),
  // No `got`: the URL may carry the database password.
  SWITCHBOARD_DATABASE_URL: variable<string | undefined>(
    (raw) =>
      /^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(raw)
        ? raw
        : refuse('must start with sqlite:, mysql:// or mariadb://'),
    undefined,
  ),
  SWITCHBOARD_CLUSTER: choiceVariable(['memory', 'hazelcast'], 'memory'),
  SWITCHBOARD_HAZELCAST_MEMBERS: variable<readonly string[]>(
    (raw) => {
      const members = raw
        .split(',')
        .map((member) => member.trim())
        .filter((member) => member.length > 0);
      const bad = members.filter((member) => !/^[\w.-]+:\d{1,5}$/.test(member));
      return bad.length === 0
        ? members
        : refuse(...bad.map((member) => `entries must be host:port (got ${JSON.stringify(member)})`));
    },
    ['127.0.0.1:5701'],
  ),
  SWITCHBOARD_HAZELCAST_CLUSTER_NAME: variable<string>((raw) => raw, 'switchboard'),
  SWITCHBOARD_HAZELCAST_CONNECT_TIMEOUT_MS: integerVariable({ min: 1_000, max: 600_000 }, 30_000),
  SWITCHBOARD_HAZELCAST_INVOCATION_TIMEOUT_MS: integerVariable({ min: 1_000, max: 600_000 }, 10_000),
  SWITCHBOARD_HAZELCAST_HEARTBEAT_TIMEOUT_MS: integerVariable({ min: 3_000, max: 600_000 }, 10_000),
  PORT: integerVariable({ min: 0, max: 65535 }, undefined),
  HOST: variable<string>((raw) => raw, '0.0.0.0'),
  SWITCHBOARD_NODE_ID: variable<string | undefined>((raw) => raw, undefined),
  SWITCHBOARD_DRAIN_MS: integerVariable({ min: 0, max: 120_000 }, undefined),
  ...encryptionVariables,
});

/**
 * Reads the bootstrap settings from the environment, with the embedded defaults. Every problem is
 * reported at once, each naming its variable and what it accepts.
 */
export function loadBootstrapSettings(
  environment: Environment,
  defaults: { readonly port: number; readonly service: string },
): BootstrapSettings {
  const values = parseEnvironment(
    bootstrapEnvironmentSchema,
    environment,
    encryptionSourceProblems(environment),
  );
  const dataDirectory = resolve(values.DATADIR);
  const port = values.PORT ?? defaults.port;
  const databaseUrl = values.SWITCHBOARD_DATABASE_URL ?? `sqlite:${resolve(dataDirectory, 'switchboard.db')}`;
  return {
    databaseUrl,
    clusterMode: values.SWITCHBOARD_CLUSTER,
    hazelcastMembers: values.SWITCHBOARD_HAZELCAST_MEMBERS,
    hazelcastClusterName: values.SWITCHBOARD_HAZELCAST_CLUSTER_NAME,
    hazelcastTimeouts: {
      connectMs: values.SWITCHBOARD_HAZELCAST_CONNECT_TIMEOUT_MS,
      invocationMs: values.SWITCHBOARD_HAZELCAST_INVOCATION_TIMEOUT_MS,
      heartbeatMs: values.SWITCHBOARD_HAZELCAST_HEARTBEAT_TIMEOUT_MS,
    },
    port,
    host: values.HOST,
    dataDirectory,
    nodeId: values.SWITCHBOARD_NODE_ID ?? `${defaults.service}@${hostname()}:${port}`,
    // note: in the cluster HAProxy checks every 2 s and marks a node down after 2 failures.
    drainMs: values.SWITCHBOARD_DRAIN_MS ?? (values.SWITCHBOARD_CLUSTER === 'hazelcast' ? 4500 : 0),
    encryption: encryptionSettings(values, {
      dataDirectory,
      embeddedDatabase: databaseUrl.startsWith('sqlite:'),
    }),
  };
}
