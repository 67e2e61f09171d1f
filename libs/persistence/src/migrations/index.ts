import { DirectorySchema1760000000000 } from './1760000000000-directory-schema.migration';
import { ChatSchema1760000000001 } from './1760000000001-chat-schema.migration';
import { SecretSchema1760000000002 } from './1760000000002-secret-schema.migration';
import { AdminSchema1760000000003 } from './1760000000003-admin-schema.migration';
import { WhatsappSchema1760000000004 } from './1760000000004-whatsapp-schema.migration';
import { RoutingSchema1760000000005 } from './1760000000005-routing-schema.migration';
import { RoutingRules1760000000006 } from './1760000000006-routing-rules.migration';
import { ChatHandlingIndex1760000000008 } from './1760000000008-chat-handling-index.migration';
import { ChatRoutingDeclinesPresence1760000000009 } from './1760000000009-chat-routing-declines-presence.migration';
import { EncryptedColumnWidths1760000000010 } from './1760000000010-encrypted-column-widths.migration';
import { WebhookInboxConnector1760000000191 } from './1760000000191-webhook-inbox-connector.migration';
import { VisitorNameWidth1760000000192 } from './1760000000192-visitor-name-width.migration';
import { Identity1760000000214 } from './1760000000214-identity.migration';
import { JobLeases1760000000300 } from './1760000000300-job-leases.migration';
import { AgentPresence1760000000430 } from './1760000000430-agent-presence.migration';
import { OutboundWebhooks1760000000460 } from './1760000000460-outbound-webhooks.migration';
import { Oidc1760000000500 } from './1760000000500-oidc.migration';
import { VisitorGoneNotice1760000000616 } from './1760000000616-visitor-gone-notice.migration';
import { SiteTextRules1760000000617 } from './1760000000617-site-text-rules.migration';
import { ChatVisitorIndex1760000000618 } from './1760000000618-chat-visitor-index.migration';

/** Every migration, oldest first; registered on the DataSource and applied by `migrate`. */
export const migrations = [
  DirectorySchema1760000000000,
  ChatSchema1760000000001,
  SecretSchema1760000000002,
  AdminSchema1760000000003,
  WhatsappSchema1760000000004,
  RoutingSchema1760000000005,
  RoutingRules1760000000006,
  ChatHandlingIndex1760000000008,
  ChatRoutingDeclinesPresence1760000000009,
  EncryptedColumnWidths1760000000010,
  WebhookInboxConnector1760000000191,
  VisitorNameWidth1760000000192,
  Identity1760000000214,
  JobLeases1760000000300,
  AgentPresence1760000000430,
  OutboundWebhooks1760000000460,
  Oidc1760000000500,
  VisitorGoneNotice1760000000616,
  SiteTextRules1760000000617,
  ChatVisitorIndex1760000000618,
];
