import {
  BlockedVisitorEntity,
  ChatEntity,
  ChatVariableEntity,
  SiteEntity,
  SkillEntity,
} from '@switchboard/persistence';
import { describeStoredFieldWidths } from '@switchboard/persistence/testing';
import { blockVisitorRequestSchema, startChatRequestSchema } from '@switchboard/protocol';

// What a visitor's or agent's socket request may carry (the protocol's zod schemas) and where it is kept.
describe('socket request fields fit their columns', () => {
  const start = startChatRequestSchema.shape;
  describeStoredFieldWidths({
    'chat:start siteKey': { schema: start.siteKey, entity: SiteEntity, property: 'siteKey' },
    'chat:start visitorName': { schema: start.visitorName, entity: ChatEntity, property: 'visitorName' },
    'chat:start email': { schema: start.email, entity: ChatEntity, property: 'visitorEmail' },
    'chat:start skill': { schema: start.skill, entity: SkillEntity, property: 'name' },
    'chat:start variables (each value)': {
      schema: start.variables.unwrap().valueType,
      entity: ChatVariableEntity,
      property: 'value',
    },
    'chat:block reason': {
      schema: blockVisitorRequestSchema.shape.reason,
      entity: BlockedVisitorEntity,
      property: 'reason',
    },
  });
});
