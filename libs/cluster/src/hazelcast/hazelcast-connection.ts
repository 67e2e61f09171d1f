import { Client, LifecycleState, ReconnectMode } from 'hazelcast-client';
import type { ClientConfig } from 'hazelcast-client';
import type { ClusterLogger } from '../shared/cluster-logger';
import { sleep } from '../shared/sleep';

/** An always-empty map whose `size()` makes a fresh cluster assign its partitions. */
const PARTITION_WARMUP_MAP = 'switchboard.partition-warmup';

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
   * How long the client keeps trying to reach the cluster, at start and after losing every member,
   * before it shuts down (-1: forever). note: finite by default so a misconfigured service fails
   * visibly at start and its supervisor restarts it.
   * @default 30000
   */
  readonly connectTimeoutMs?: number;
  /**
   * While reconnecting, 'ON' makes operations wait; 'ASYNC' makes them fail at once.
   * @default 'ON'
   */
  readonly reconnectMode?: 'ON' | 'ASYNC';
  /**
   * Shown in the members' logs and client statistics.
   * @default 'switchboard'
   */
  readonly instanceName?: string;
  /**
   * Receives lifecycle changes (connected, disconnected, shut down).
   * @default console
   */
  readonly logger?: ClusterLogger;
  /**
   * Level of the Hazelcast client's own console logging.
   * @default 'WARN'
   */
  readonly clientLogLevel?: 'OFF' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
}

/** One Hazelcast client shared by the adapters of a process. */
export class HazelcastConnection {
  private constructor(
    /** The underlying client; adapters use it, application code talks to the ports. */
    readonly client: Client,
  ) {}

  /** Connects, or rejects after `connectTimeoutMs` when no member answers. */
  static async connect(options: HazelcastConnectionOptions = {}): Promise<HazelcastConnection> {
    const logger = options.logger ?? console;
    const name = options.instanceName ?? 'switchboard';
    const config: ClientConfig = {
      clusterName: options.clusterName ?? 'switchboard',
      instanceName: name,
      network: { clusterMembers: [...(options.members ?? ['127.0.0.1:5701'])] },
      connectionStrategy: {
        reconnectMode: ReconnectMode[options.reconnectMode ?? 'ON'],
        connectionRetry: {
          clusterConnectTimeoutMillis: options.connectTimeoutMs ?? 30_000,
          // A lost member is usually back (or replaced) within seconds; don't wait 30 s between tries.
          maxBackoffMillis: 2_000,
        },
      },
      lifecycleListeners: [(state: LifecycleState) => HazelcastConnection.logState(logger, name, state)],
      properties: { 'hazelcast.logging.level': options.clientLogLevel ?? 'WARN' },
    };
    const client = await Client.newHazelcastClient(config);
    try {
      await HazelcastConnection.awaitPartitionTable(client, options.connectTimeoutMs ?? 30_000);
    } catch (error) {
      await client.shutdown();
      throw error;
    }
    return new HazelcastConnection(client);
  }

  /** Disconnects; in-flight operations fail. Safe to call twice. */
  async shutdown(): Promise<void> {
    if (this.client.getLifecycleService().isRunning()) {
      await this.client.shutdown();
    }
  }

  /**
   * note: a fresh cluster assigns partitions lazily, and this client sends no partition operation
   * before it knows their owners, so its first one could wait until the invocation timeout. A
   * cluster-wide `size()` makes the members assign them; the table then reaches the client.
   */
  private static async awaitPartitionTable(client: Client, timeoutMs: number): Promise<void> {
    const partitions = client.getPartitionService();
    if (partitions.getPartitionOwner(0) !== undefined) {
      return;
    }
    await (await client.getMap(PARTITION_WARMUP_MAP)).size();
    const deadline = Date.now() + (timeoutMs < 0 ? Infinity : timeoutMs);
    while (partitions.getPartitionOwner(0) === undefined) {
      if (Date.now() > deadline) {
        throw new Error(`no partition table from the cluster within ${timeoutMs} ms`);
      }
      await sleep(50);
    }
  }

  private static logState(logger: ClusterLogger, name: string, state: LifecycleState): void {
    const message = `hazelcast client ${name}: ${state}`;
    if (state === LifecycleState.DISCONNECTED) {
      logger.warn(message);
    } else {
      logger.log(message);
    }
  }
}
