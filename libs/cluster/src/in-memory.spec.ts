import { InMemoryClusterLock } from './in-memory/in-memory-cluster-lock.adapter';
import { InMemoryCounters } from './in-memory/in-memory-counters.adapter';
import { InMemoryEventStream } from './in-memory/in-memory-event-stream.adapter';
import { clusterContract } from './testing';
import type { ClusterPorts, ContractEvent, ContractNames } from './testing';

const RING_CAPACITY = 500;

/** Both "clients" share one process's state, as the embedded mode's modules do. */
const portsByStream = new Map<string, ClusterPorts>();

function inMemoryPorts(_client: 0 | 1, names: ContractNames): ClusterPorts {
  const existing = portsByStream.get(names.stream);
  if (existing !== undefined) {
    return existing;
  }
  const ports = {
    eventStream: new InMemoryEventStream<ContractEvent>({ capacity: RING_CAPACITY }),
    counters: new InMemoryCounters(),
    lock: new InMemoryClusterLock(),
  };
  portsByStream.set(names.stream, ports);
  return ports;
}

describe('in-memory cluster adapters', () => {
  clusterContract(() => inMemoryPorts, { ringCapacity: RING_CAPACITY });
});
