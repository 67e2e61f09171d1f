import { z } from 'zod';

/** One backend server: `name` is its HAProxy server name and its stickiness cookie value. */
export interface BackendServer {
  readonly name: string;
  /** `host:port`; the host may be a name that resolves only later (see `init-addr`). */
  readonly address: string;
}

/** What the HAProxy configuration is rendered from (all defaults applied). */
export interface HaproxyTopology {
  readonly clientMessengers: readonly BackendServer[];
  readonly whatsappConnectors: readonly BackendServer[];
  /** @default 3000 */
  readonly wsPort: number;
  /** @default 3003 */
  readonly wssPort: number;
  /** Interface the frontends listen on; empty: all interfaces. @default '' */
  readonly bindAddress: string;
  /** PEM file (certificate chain + private key) for the wss frontend. */
  readonly certificate: string;
  /** Unix socket of HAProxy's runtime API (`show stat`, `disable server`…). */
  readonly statsSocket: string;
  /** Global connection limit; when absent HAProxy derives it from the open-files limit. */
  readonly maxconn?: number;
  /** Global log target, e.g. `/dev/log` or `stdout`; when absent nothing is logged. */
  readonly log?: string;
  /** Unprivileged user and group HAProxy drops to after binding. */
  readonly user?: string;
  readonly group?: string;
  /**
   * Port of the internal frontend, which also answers `/metrics` and `/health/ready` (the public
   * frontends deny them); absent: no internal frontend.
   */
  readonly internalPort?: number;
  /** Interface of the internal frontend. @default '127.0.0.1' */
  readonly internalBindAddress: string;
  /** Route the whatsapp connectors are health-checked on. @default '/health' */
  readonly healthCheckPath: string;
  /**
   * Route the client-messenger nodes are checked on: readiness, so a node that lost the Hazelcast
   * cluster (its visitors and agents would not hear each other across nodes) takes no clients.
   * @default '/health/ready'
   */
  readonly readinessCheckPath: string;
  /** Adds `X-Served-By: <server name>` to every response (which node answered). @default true */
  readonly servedByHeader: boolean;
}

export const TOPOLOGY_DEFAULTS = {
  wsPort: 3000,
  wssPort: 3003,
  bindAddress: '',
  internalBindAddress: '127.0.0.1',
  healthCheckPath: '/health',
  readinessCheckPath: '/health/ready',
  servedByHeader: true,
} as const;

const ADDRESS = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const NAME = /^[A-Za-z0-9_.-]+$/;
// Values end up verbatim on a configuration line: no whitespace, quotes or comment signs.
const CONFIG_WORD = /^[^\s#"'\\]+$/;

const address = z.string().regex(ADDRESS, 'must be host:port (a name or an IPv4 address)');
const serverEntry = z.union([
  address,
  z.object({ name: z.string().regex(NAME, 'may contain only letters, digits, _ . -'), address }).strict(),
]);
const port = z.number().int().min(1).max(65535);
const checkPath = z.string().regex(/^\/[^\s#"'\\]*$/, 'must be an absolute path');
const word = z.string().min(1).regex(CONFIG_WORD, 'must not contain whitespace, quotes or #');

/** The JSON a topology file holds: servers as `"host:port"` or `{ "name", "address" }`. */
export const topologyFileSchema = z
  .object({
    clientMessengers: z.array(serverEntry).min(1),
    whatsappConnectors: z.array(serverEntry).min(1),
    wsPort: port.optional(),
    wssPort: port.optional(),
    bindAddress: z.union([z.literal(''), word]).optional(),
    internalPort: port.optional(),
    internalBindAddress: word.optional(),
    certificate: word,
    statsSocket: word,
    maxconn: z.number().int().positive().optional(),
    log: word.optional(),
    user: word.optional(),
    group: word.optional(),
    healthCheckPath: checkPath.optional(),
    readinessCheckPath: checkPath.optional(),
    servedByHeader: z.boolean().optional(),
  })
  .strict();

export type TopologyFile = z.input<typeof topologyFileSchema>;

export class TopologyError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid topology:\n  - ${problems.join('\n  - ')}`);
    this.name = 'TopologyError';
  }
}

/** Validates a topology (parsed JSON, possibly merged with CLI flags) and applies the defaults. */
export function parseTopology(input: unknown): HaproxyTopology {
  const result = topologyFileSchema.safeParse(input);
  if (!result.success) {
    throw new TopologyError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(topology)'}: ${issue.message}`),
    );
  }
  const { clientMessengers, whatsappConnectors, ...rest } = result.data;
  const topology: HaproxyTopology = {
    ...TOPOLOGY_DEFAULTS,
    ...rest,
    clientMessengers: clientMessengers.map((entry, index) =>
      toServer(entry, `client-messenger-${index + 1}`),
    ),
    whatsappConnectors: whatsappConnectors.map((entry, index) =>
      toServer(entry, `whatsapp-connector-${index + 1}`),
    ),
  };
  const problems = duplicates([...topology.clientMessengers, ...topology.whatsappConnectors]);
  if (topology.wsPort === topology.wssPort) problems.push(`wsPort and wssPort are both ${topology.wsPort}`);
  if (topology.internalPort === topology.wsPort || topology.internalPort === topology.wssPort)
    problems.push(`internalPort ${topology.internalPort} is also a public frontend's port`);
  if (problems.length > 0) throw new TopologyError(problems);
  return topology;
}

function toServer(entry: string | BackendServer, defaultName: string): BackendServer {
  return typeof entry === 'string' ? { name: defaultName, address: entry } : entry;
}

function duplicates(servers: readonly BackendServer[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const { name } of servers) {
    if (seen.has(name)) problems.push(`server name ${JSON.stringify(name)} is used twice`);
    seen.add(name);
  }
  return problems;
}
