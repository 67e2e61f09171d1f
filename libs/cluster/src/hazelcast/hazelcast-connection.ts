import { Client, LifecycleState } from 'hazelcast-client';
import type { IMap, Ringbuffer } from 'hazelcast-client';
import type { ClusterLogger } from '../shared/cluster-logger';
import { sleep } from '../shared/sleep';
import { CONNECTION_DEFAULTS, hazelcastClientConfig } from './hazelcast-client-config';
import type { HazelcastConnectionOptions } from './hazelcast-client-config';

export type { HazelcastConnectionOptions } from './hazelcast-client-config';

/** An always-empty map whose `size()` makes a fresh cluster assign its partitions. */
const PARTITION_WARMUP_MAP = 'switchboard.partition-warmup';

/**
 * One Hazelcast client shared by the adapters of a process, kept for as long as the process runs:
 * when the client gives up on a cluster it could not reach within `connectTimeoutMs`, a fresh one
 * replaces it (again and again until the members answer).
 */
export class HazelcastConnection {
  private current!: Client;
  private connectedNow = false;
  private lostCount = 0;
  private closing = false;
  private started = false;
  private replacing: Promise<void> | undefined;
  private readonly proxies = new WeakMap<Client, Map<string, Promise<unknown>>>();
  private readonly logger: ClusterLogger;
  private readonly name: string;

  private constructor(private readonly options: HazelcastConnectionOptions) {
    this.logger = options.logger ?? console;
    this.name = options.instanceName ?? CONNECTION_DEFAULTS.instanceName;
  }

  /** Connects, or rejects after `connectTimeoutMs` when no member answers (a start stays bounded). */
  static async connect(options: HazelcastConnectionOptions = {}): Promise<HazelcastConnection> {
    const connection = new HazelcastConnection(options);
    connection.current = await connection.newClient();
    connection.started = true;
    return connection;
  }

  /** The client of the moment; adapters take their proxies through `map` and `ringbuffer`. */
  get client(): Client {
    return this.current;
  }

  /** True while the client holds a connection to at least one member. */
  get connected(): boolean {
    return this.connectedNow && this.current.getLifecycleService().isRunning();
  }

  /**
   * How often the connection lost every member (and so any event published meanwhile) since it
   * started; a reader that sees it change resynchronises.
   */
  get losses(): number {
    return this.lostCount;
  }

  /** The named map's proxy on the current client. */
  map<K, V>(name: string): Promise<IMap<K, V>> {
    return this.proxy(`map:${name}`, () => this.current.getMap<K, V>(name));
  }

  /** The named ringbuffer's proxy on the current client. */
  ringbuffer<E>(name: string): Promise<Ringbuffer<E>> {
    return this.proxy(`ring:${name}`, () => this.current.getRingbuffer<E>(name));
  }

  /** Disconnects for good; in-flight operations fail. Safe to call twice. */
  async shutdown(): Promise<void> {
    this.closing = true;
    await this.replacing;
    if (this.current.getLifecycleService().isRunning()) {
      await this.current.shutdown();
    }
  }

  private proxy<T>(key: string, create: () => Promise<T>): Promise<T> {
    const client = this.current;
    const cached = this.proxies.get(client) ?? new Map<string, Promise<unknown>>();
    this.proxies.set(client, cached);
    if (!cached.has(key)) cached.set(key, create());
    return cached.get(key) as Promise<T>;
  }

  private async newClient(): Promise<Client> {
    const client = await Client.newHazelcastClient(
      hazelcastClientConfig(this.options, (state) => this.onState(state)),
    );
    try {
      await awaitPartitionTable(
        client,
        this.options.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs,
      );
    } catch (error) {
      await client.shutdown();
      throw error;
    }
    return client;
  }

  private onState(state: LifecycleState): void {
    const message = `hazelcast client ${this.name}: ${state}`;
    if (state === LifecycleState.CONNECTED) this.connectedNow = true;
    if ((state === LifecycleState.DISCONNECTED || state === LifecycleState.SHUTDOWN) && this.connectedNow) {
      this.connectedNow = false;
      if (this.started) this.lostCount += 1;
    }
    if (state === LifecycleState.DISCONNECTED) this.logger.warn(message);
    else this.logger.log(message);
    // The client shut itself down (no member within connectTimeoutMs): replace it, unless we are closing.
    if (state === LifecycleState.SHUTDOWN && this.started && !this.closing) {
      this.replacing ??= this.replaceClient().finally(() => (this.replacing = undefined));
    }
  }

  private async replaceClient(): Promise<void> {
    const timeout = this.options.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs;
    this.logger.error(
      `hazelcast client ${this.name} lost the cluster for more than ${timeout} ms; reconnecting with a new client until a member answers`,
    );
    for (let attempt = 1; !this.closing; attempt += 1) {
      try {
        const client = await this.newClient();
        if (this.closing) {
          await client.shutdown();
          return;
        }
        this.current = client;
        this.logger.log(`hazelcast client ${this.name} reconnected to the cluster (attempt ${attempt})`);
        return;
      } catch (error) {
        this.logger.warn(
          `hazelcast client ${this.name}: reconnect attempt ${attempt} failed: ${String(error)}`,
        );
        await sleep(1_000);
      }
    }
  }
}

/**
 * note: a fresh cluster assigns partitions lazily, and this client sends no partition operation
 * before it knows their owners, so its first one could wait until the invocation timeout. A
 * cluster-wide `size()` makes the members assign them; the table then reaches the client.
 */
async function awaitPartitionTable(client: Client, timeoutMs: number): Promise<void> {
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
