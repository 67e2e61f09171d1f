import { escapeHtml, htmlFields, htmlPage, htmlTable } from '../formats/html';
import type { ServerStatus } from './status.service';

/** index.htm: server info, cluster members and checks, chats, monitored sites, blocked clients. */
export function renderStatusPage(status: ServerStatus): string {
  const sections = [
    '<h2>Server</h2>',
    htmlFields(status.server),
    '<h2>Cluster</h2>',
    htmlFields({
      mode: status.cluster.mode,
      name: status.cluster.name,
      streamTailSequence: status.cluster.streamTailSequence,
    }),
    htmlTable(
      status.cluster.members.map((member) => ({ member })),
      { member: (row) => row.member },
    ),
    htmlTable(status.cluster.checks, {
      check: (row) => row.name,
      ok: (row) => (row.ok ? 'ok' : 'FAILING'),
      detail: (row) => row.detail,
    }),
    '<h2>Chats</h2>',
    htmlFields(status.chats),
    '<h2>Monitored sites</h2>',
    htmlTable(status.sites, {
      'site key': (site) => site.siteKey,
      name: (site) => site.name,
      domain: (site) => site.domain,
      paused: (site) => (site.paused ? 'paused' : ''),
      waiting: (site) => site.waiting,
      queued: (site) => site.queued,
      offered: (site) => site.offered,
      active: (site) => site.active,
      'oldest waiting since': (site) => site.oldestWaitingSince,
    }),
    '<h2>Blocked clients</h2>',
    htmlTable(status.blockedClients, {
      site: (block) => block.siteKey ?? 'all sites',
      visitor: (block) => block.visitorKey,
      ip: (block) => block.ip,
      reason: (block) => block.reason,
      'blocked by': (block) => block.blockedBy,
      'blocked at': (block) => block.blockedAt,
      expires: (block) => block.expiresAt ?? 'never',
    }),
  ];
  return htmlPage(`Switchboard status: ${escapeHtml(status.server.nodeId)}`, sections.join('\n'));
}
