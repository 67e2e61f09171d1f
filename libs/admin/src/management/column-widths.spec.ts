import {
  CannedResponseEntity,
  ChatConnectorEntity,
  OutboundWebhookEntity,
  OperatorEntity,
  ParameterEntity,
  RoutingRuleEntity,
  SiteEntity,
  SkillEntity,
  UserGroupEntity,
} from '@switchboard/persistence';
import { describeStoredFieldWidths } from '@switchboard/persistence/testing';
import { newChatConnectorBody } from './chat-connector.dto';
import { newOutboundWebhookBody } from './outbound-webhook.dto';
import {
  namedItemBody,
  newCannedResponseBody,
  newSiteBody,
  newUserBody,
  parameterBody,
} from './management.dto';
import { newRoutingRuleBody } from './routing-rule.dto';

// What the admin API accepts (its zod bodies) and the columns it writes.
describe('admin API fields fit their columns', () => {
  const site = newSiteBody.shape;
  const user = newUserBody.shape;
  const rule = newRoutingRuleBody.shape;
  describeStoredFieldWidths({
    'site siteKey': { schema: site.siteKey, entity: SiteEntity, property: 'siteKey' },
    'site name': { schema: site.name, entity: SiteEntity, property: 'name' },
    'site domain': { schema: site.domain, entity: SiteEntity, property: 'domain' },
    'site timeZone': { schema: site.timeZone, entity: SiteEntity, property: 'timeZone' },
    'site chatTemplate': { schema: site.chatTemplate, entity: SiteEntity, property: 'chatTemplate' },
    'site offlineMessage': { schema: site.offlineMessage, entity: SiteEntity, property: 'offlineMessage' },
    'user username': { schema: user.username, entity: OperatorEntity, property: 'username' },
    'user displayName': { schema: user.displayName, entity: OperatorEntity, property: 'displayName' },
    'user email': { schema: user.email, entity: OperatorEntity, property: 'email' },
    'user photo (base64)': {
      schema: user.photo,
      entity: OperatorEntity,
      property: 'photo',
      bytesPerCharacter: 1,
    },
    'skill name': { schema: namedItemBody.shape.name, entity: SkillEntity, property: 'name' },
    'skill description': {
      schema: namedItemBody.shape.description,
      entity: SkillEntity,
      property: 'description',
    },
    'user group name': { schema: namedItemBody.shape.name, entity: UserGroupEntity, property: 'name' },
    'user group description': {
      schema: namedItemBody.shape.description,
      entity: UserGroupEntity,
      property: 'description',
    },
    'canned title': {
      schema: newCannedResponseBody.shape.title,
      entity: CannedResponseEntity,
      property: 'title',
    },
    'canned text': {
      schema: newCannedResponseBody.shape.text,
      entity: CannedResponseEntity,
      property: 'text',
    },
    'parameter value': { schema: parameterBody.shape.value, entity: ParameterEntity, property: 'value' },
    'routing rule name': { schema: rule.name, entity: RoutingRuleEntity, property: 'name' },
    'routing rule skill': { schema: rule.skill, entity: RoutingRuleEntity, property: 'skill' },
    'routing rule pageUrlContains': {
      schema: rule.pageUrlContains,
      entity: RoutingRuleEntity,
      property: 'pageUrlContains',
    },
    'chat connector API key (sealed)': {
      schema: newChatConnectorBody.shape.apiKey,
      entity: ChatConnectorEntity,
      property: 'apiKeyCiphertext',
    },
    'outbound webhook url': {
      schema: newOutboundWebhookBody.shape.url,
      entity: OutboundWebhookEntity,
      property: 'url',
    },
    'outbound webhook secret (sealed)': {
      schema: newOutboundWebhookBody.shape.secret,
      entity: OutboundWebhookEntity,
      property: 'secretCiphertext',
    },
  });
});
