import { randomUUID } from 'node:crypto';
import type { ClusterLock } from '../ports/cluster-lock.port';
import type { Counters } from '../ports/counters.port';
import type { EventStream } from '../ports/event-stream.port';
import { clusterLockContract } from './cluster-lock.contract';
import { countersContract } from './counters.contract';
import { eventStreamContract } from './event-stream.contract';

export interface ContractEvent {
  readonly id: number;
}

/** What one cluster client (one Switchboard process) sees. */
export interface ClusterPorts {
  readonly eventStream: EventStream<ContractEvent>;
  readonly counters: Counters;
  readonly lock: ClusterLock;
}

/** Names of the ringbuffer and maps a test uses, unique per test so tests never share state. */
export interface ContractNames {
  readonly stream: string;
  readonly counters: string;
  readonly locks: string;
}

/** The ports as seen by client 0 or client 1 of the same cluster, over the given names. */
export type ClusterPortsFactory = (client: 0 | 1, names: ContractNames) => ClusterPorts;

export interface ClusterContractOptions {
  /** Capacity of the stream's ring (hazelcast.xml's, for Hazelcast), so a test can overflow it. */
  readonly ringCapacity: number;
}

/** The two clients of one test, over fresh names. */
export interface ContractClients {
  readonly names: ContractNames;
  readonly a: ClusterPorts;
  readonly b: ClusterPorts;
}

/** Names matching hazelcast.xml's `CHAT*` and `CHATCOUNTERS*` wildcards, so they get the seed's settings. */
export function uniqueContractNames(): ContractNames {
  const id = randomUUID().slice(0, 8);
  return { stream: `CHAT-test-${id}`, counters: `CHATCOUNTERS-test-${id}`, locks: `CHATLOCKS-test-${id}` };
}

/**
 * The behaviour every cluster adapter must have, run by each adapter's spec. `factory` is read when a
 * test runs, so it may be set up in a `beforeAll`.
 */
export function clusterContract(factory: () => ClusterPortsFactory, options: ClusterContractOptions): void {
  const clients = (): ContractClients => {
    const names = uniqueContractNames();
    return { names, a: factory()(0, names), b: factory()(1, names) };
  };
  describe('event stream', () => eventStreamContract(clients, options.ringCapacity));
  describe('counters', () => countersContract(clients));
  describe('cluster lock', () => clusterLockContract(clients));
}
