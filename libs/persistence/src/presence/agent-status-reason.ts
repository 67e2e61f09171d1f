/**
 * Why an agent's status changed: they set it (`manual`), all their connections were gone for the
 * grace period (`disconnected`), they did nothing for the idle time (`idle`), they logged out (`logout`).
 */
export const AGENT_STATUS_REASONS = ['manual', 'disconnected', 'idle', 'logout'] as const;
export type AgentStatusReason = (typeof AGENT_STATUS_REASONS)[number];
