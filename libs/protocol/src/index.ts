export * from './event-codes';
export * from './cluster-events';
export * from './socket';
export { renderProtocolDocSections } from './protocol-docs';
export * from './tyntec';
export { withWellFormedText } from './well-formed';
export * from './webhooks';
