import type { DataSource } from 'typeorm';
import { AdminAuditRepository } from './admin/admin-audit.repository';
import { BlockedVisitorRepository } from './blocked-visitors/blocked-visitor.repository';
import { CannedResponseRepository } from './canned-responses/canned-response.repository';
import { ChatEventRepository } from './chats/chat-event.repository';
import { ChatLineRepository } from './chats/chat-line.repository';
import { ChatVariableRepository } from './chats/chat-variable.repository';
import { ChatStatisticsRepository } from './chats/chat-statistics.repository';
import { ChatRepository } from './chats/chat.repository';
import { ChatRoutingRepository } from './chats/chat-routing.repository';
import { ChatRetentionRepository } from './chats/chat-retention.repository';
import { JobLeaseRepository } from './jobs/job-lease.repository';
import { OutboundWebhookRepository } from './outbound-webhooks/outbound-webhook.repository';
import { WebhookOutboxRepository } from './outbound-webhooks/webhook-outbox.repository';
import { LineGroupCommit } from './chats/line-group-commit';
import { Database } from './database/database';
import { AgentSessionRepository } from './sessions/agent-session.repository';
import { OperatorRepository } from './operators/operator.repository';
import { AgentPresenceRepository } from './presence/agent-presence.repository';
import { SkillRepository } from './operators/skill.repository';
import { UserGroupRepository } from './operators/user-group.repository';
import { ParameterRepository } from './parameters/parameter.repository';
import { RoutingRuleRepository } from './routing/routing-rule.repository';
import { SecretRepository } from './secrets/secret.repository';
import { OidcLoginRepository } from './sso/oidc-login.repository';
import { OidcProviderRepository } from './sso/oidc-provider.repository';
import { SiteRepository } from './sites/site.repository';
import { WorkPeriodRepository } from './sites/work-period.repository';
import { ChatConnectorRepository } from './whatsapp/chat-connector.repository';
import { WebhookInboxRepository } from './whatsapp/webhook-inbox.repository';
import { WhatsappLineRepository } from './whatsapp/whatsapp-line.repository';

/** Every repository that needs nothing but the {@link Database}, by its name in {@link Repositories}. */
export const databaseRepositories = {
  sites: SiteRepository,
  workPeriods: WorkPeriodRepository,
  userGroups: UserGroupRepository,
  skills: SkillRepository,
  operators: OperatorRepository,
  agentPresence: AgentPresenceRepository,
  agentSessions: AgentSessionRepository,
  chats: ChatRepository,
  chatEvents: ChatEventRepository,
  chatVariables: ChatVariableRepository,
  cannedResponses: CannedResponseRepository,
  parameters: ParameterRepository,
  blockedVisitors: BlockedVisitorRepository,
  secrets: SecretRepository,
  adminAudit: AdminAuditRepository,
  chatStatistics: ChatStatisticsRepository,
  chatRouting: ChatRoutingRepository,
  routingRules: RoutingRuleRepository,
  webhookInbox: WebhookInboxRepository,
  chatConnectors: ChatConnectorRepository,
  whatsappLines: WhatsappLineRepository,
  chatRetention: ChatRetentionRepository,
  jobLeases: JobLeaseRepository,
  outboundWebhooks: OutboundWebhookRepository,
  webhookOutbox: WebhookOutboxRepository,
  oidcProviders: OidcProviderRepository,
  oidcLogins: OidcLoginRepository,
} as const;

type DatabaseRepositories = typeof databaseRepositories;

/** One instance of every repository over one database. */
export type Repositories = {
  [Name in keyof DatabaseRepositories]: InstanceType<DatabaseRepositories[Name]>;
} & {
  chatLines: ChatLineRepository;
};

/** The set of repositories: `instance` gives each of {@link databaseRepositories}, with `chatLines` beside them. */
export function assembleRepositories(
  instance: (Repository: DatabaseRepositories[keyof DatabaseRepositories]) => object,
  chatLines: ChatLineRepository,
): Repositories {
  const entries = Object.entries(databaseRepositories).map(([name, Repository]) => [
    name,
    instance(Repository),
  ]);
  return { ...(Object.fromEntries(entries) as Omit<Repositories, 'chatLines'>), chatLines };
}

/**
 * Builds every repository over an initialized DataSource, for tests and tools. note: a process gets
 * its repositories from {@link PersistenceModule}; a second set over the same SQLite DataSource would
 * queue its writes apart from the process's (see {@link Database}).
 */
export function createRepositories(dataSource: DataSource): Repositories {
  const database = new Database(dataSource);
  return assembleRepositories(
    (Repository) => new Repository(database),
    new ChatLineRepository(database, new LineGroupCommit(database)),
  );
}
