import { LifecycleState, ReconnectMode } from 'hazelcast-client';
import type { ClientConfig } from 'hazelcast-client';
import type { ClusterLogger } from '../shared/cluster-logger';

export interface HazelcastConnectionOptions {
  /**
   * Must match `<cluster-name>` of the members.
   * @default 'switchboard'
   */
  readonly clusterName?: string;
  /**
   * Members to connect to (`host:port`); one reachable member is enough, the client learns the rest.
   * @default ['127.0.0.1:5701']
   */
  readonly members?: readonly string[];
  /**
   * How long one connection attempt keeps trying to reach the cluster. At start a service that
   * reaches no member within it fails (its supervisor restarts it); at run time the connection
   * then starts a fresh client and tries again, for as long as the process runs.
   * note: the Node client gives up for good after this time without a member; the connection
   * replaces it rather than setting -1 (retry forever), which would also hang a misconfigured start.
   * @default 30000
   */
  readonly connectTimeoutMs?: number;
  /**
   * While reconnecting, 'ON' makes operations wait (up to `invocationTimeoutMs`); 'ASYNC' makes them
   * fail at once.
   * @default 'ON'
   */
  readonly reconnectMode?: 'ON' | 'ASYNC';
  /**
   * How long an operation is retried (member lost, no connection) before it fails
   * (`hazelcast.client.invocation.timeout.millis`; the client's own default is 120 s).
   * @default 10000
   */
  readonly invocationTimeoutMs?: number;
  /**
   * A connection that has read nothing (not even a heartbeat) for this long is closed and its
   * operations retried on another member (`hazelcast.client.heartbeat.timeout`; the client's own
   * default is 60 s). note: a stalled member (GC pause, half-partition) holds every operation sent
   * to it until then; too short and a busy member is dropped needlessly.
   * @default 10000
   */
  readonly heartbeatTimeoutMs?: number;
  /**
   * Shown in the members' logs and client statistics.
   * @default 'switchboard'
   */
  readonly instanceName?: string;
  /**
   * Receives lifecycle changes (connected, disconnected, replaced).
   * @default console
   */
  readonly logger?: ClusterLogger;
  /**
   * Level of the Hazelcast client's own console logging.
   * @default 'WARN'
   */
  readonly clientLogLevel?: 'OFF' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
}

export const CONNECTION_DEFAULTS = {
  clusterName: 'switchboard',
  members: ['127.0.0.1:5701'],
  connectTimeoutMs: 30_000,
  reconnectMode: 'ON',
  invocationTimeoutMs: 10_000,
  heartbeatTimeoutMs: 10_000,
  instanceName: 'switchboard',
  clientLogLevel: 'WARN',
} as const;

/** The client configuration for `options`; `onState` hears every lifecycle change. */
export function hazelcastClientConfig(
  options: HazelcastConnectionOptions,
  onState: (state: LifecycleState) => void,
): ClientConfig {
  const settings = { ...CONNECTION_DEFAULTS, ...options };
  return {
    clusterName: settings.clusterName,
    instanceName: settings.instanceName,
    network: { clusterMembers: [...settings.members] },
    connectionStrategy: {
      reconnectMode: ReconnectMode[settings.reconnectMode],
      connectionRetry: {
        clusterConnectTimeoutMillis: settings.connectTimeoutMs,
        // A lost member is usually back (or replaced) within seconds; don't wait 30 s between tries.
        maxBackoffMillis: 2_000,
      },
    },
    lifecycleListeners: [onState],
    properties: {
      'hazelcast.logging.level': settings.clientLogLevel,
      'hazelcast.client.invocation.timeout.millis': settings.invocationTimeoutMs,
      'hazelcast.client.heartbeat.timeout': settings.heartbeatTimeoutMs,
      'hazelcast.client.heartbeat.interval': Math.min(5_000, Math.floor(settings.heartbeatTimeoutMs / 3)),
    },
  };
}
