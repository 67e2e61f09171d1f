export * from './cluster-contract';
export * from './contract-helpers';
export * from './free-port';
export * from './hazelcast-test-cluster';
export * from './service-process';
