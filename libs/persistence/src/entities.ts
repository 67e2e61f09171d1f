import { AdminAuditEntity } from './admin/admin-audit.entity';
import { BlockedVisitorEntity } from './blocked-visitors/blocked-visitor.entity';
import { CannedResponseEntity } from './canned-responses/canned-response.entity';
import { ChatEventEntity } from './chats/chat-event.entity';
import { ChatRoutingEntity } from './chats/chat-routing.entity';
import { ChatLineEntity } from './chats/chat-line.entity';
import { ChatVariableEntity } from './chats/chat-variable.entity';
import { ChatEntity } from './chats/chat.entity';
import { JobLeaseEntity } from './jobs/job-lease.entity';
import { AgentPresenceEntity } from './presence/agent-presence.entity';
import { AgentStatusEventEntity } from './presence/agent-status-event.entity';
import { OutboundWebhookEntity } from './outbound-webhooks/outbound-webhook.entity';
import { WebhookOutboxEntity } from './outbound-webhooks/webhook-outbox.entity';
import { OperatorSkillEntity } from './operators/operator-skill.entity';
import { OperatorEntity } from './operators/operator.entity';
import { SkillEntity } from './operators/skill.entity';
import { UserGroupEntity } from './operators/user-group.entity';
import { AgentSessionEntity } from './sessions/agent-session.entity';
import { ParameterAuditEntity } from './parameters/parameter-audit.entity';
import { ParameterEntity } from './parameters/parameter.entity';
import { RoutingRuleEntity } from './routing/routing-rule.entity';
import { SecretEntity } from './secrets/secret.entity';
import { OidcLoginEntity } from './sso/oidc-login.entity';
import { OidcProviderEntity } from './sso/oidc-provider.entity';
import { SiteEntity } from './sites/site.entity';
import { WorkPeriodEntity } from './sites/work-period.entity';
import { ChatConnectorEntity } from './whatsapp/chat-connector.entity';
import { WebhookDeadLetterEntity } from './whatsapp/webhook-dead-letter.entity';
import { WebhookInboxEntity } from './whatsapp/webhook-inbox.entity';
import { WhatsappLineEntity } from './whatsapp/whatsapp-line.entity';

/** Every entity of the schema, as registered on the DataSource. */
export const entities = [
  JobLeaseEntity,
  SiteEntity,
  WorkPeriodEntity,
  UserGroupEntity,
  SkillEntity,
  OperatorEntity,
  OperatorSkillEntity,
  AgentSessionEntity,
  AgentPresenceEntity,
  AgentStatusEventEntity,
  ChatEntity,
  ChatLineEntity,
  ChatEventEntity,
  ChatVariableEntity,
  ChatRoutingEntity,
  RoutingRuleEntity,
  CannedResponseEntity,
  ParameterEntity,
  ParameterAuditEntity,
  BlockedVisitorEntity,
  SecretEntity,
  AdminAuditEntity,
  WebhookInboxEntity,
  WebhookDeadLetterEntity,
  ChatConnectorEntity,
  WhatsappLineEntity,
  OutboundWebhookEntity,
  WebhookOutboxEntity,
  OidcProviderEntity,
  OidcLoginEntity,
];
