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
import { OperatorRepository } from './operators/operator.repository';
import { SkillRepository } from './operators/skill.repository';
import { UserGroupRepository } from './operators/user-group.repository';
import { ParameterRepository } from './parameters/parameter.repository';
import { RoutingRuleRepository } from './routing/routing-rule.repository';
import { SecretRepository } from './secrets/secret.repository';
import { SiteRepository } from './sites/site.repository';
import { WorkPeriodRepository } from './sites/work-period.repository';
import { ChatConnectorRepository } from './whatsapp/chat-connector.repository';
import { WebhookInboxRepository } from './whatsapp/webhook-inbox.repository';
import { WhatsappLineRepository } from './whatsapp/whatsapp-line.repository';

/** One instance of every repository over one DataSource. */
export interface Repositories {
  sites: SiteRepository;
  workPeriods: WorkPeriodRepository;
  userGroups: UserGroupRepository;
  skills: SkillRepository;
  operators: OperatorRepository;
  chats: ChatRepository;
  chatLines: ChatLineRepository;
  chatEvents: ChatEventRepository;
  chatVariables: ChatVariableRepository;
  cannedResponses: CannedResponseRepository;
  parameters: ParameterRepository;
  blockedVisitors: BlockedVisitorRepository;
  secrets: SecretRepository;
  adminAudit: AdminAuditRepository;
  chatStatistics: ChatStatisticsRepository;
  chatRouting: ChatRoutingRepository;
  routingRules: RoutingRuleRepository;
  webhookInbox: WebhookInboxRepository;
  chatConnectors: ChatConnectorRepository;
  whatsappLines: WhatsappLineRepository;
}

/** Builds every repository over an initialized DataSource. */
export function createRepositories(dataSource: DataSource): Repositories {
  return {
    sites: new SiteRepository(dataSource),
    workPeriods: new WorkPeriodRepository(dataSource),
    userGroups: new UserGroupRepository(dataSource),
    skills: new SkillRepository(dataSource),
    operators: new OperatorRepository(dataSource),
    chats: new ChatRepository(dataSource),
    chatLines: new ChatLineRepository(dataSource),
    chatEvents: new ChatEventRepository(dataSource),
    chatVariables: new ChatVariableRepository(dataSource),
    cannedResponses: new CannedResponseRepository(dataSource),
    parameters: new ParameterRepository(dataSource),
    blockedVisitors: new BlockedVisitorRepository(dataSource),
    secrets: new SecretRepository(dataSource),
    adminAudit: new AdminAuditRepository(dataSource),
    chatStatistics: new ChatStatisticsRepository(dataSource),
    chatRouting: new ChatRoutingRepository(dataSource),
    routingRules: new RoutingRuleRepository(dataSource),
    webhookInbox: new WebhookInboxRepository(dataSource),
    chatConnectors: new ChatConnectorRepository(dataSource),
    whatsappLines: new WhatsappLineRepository(dataSource),
  };
}
