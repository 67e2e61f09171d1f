import { z } from 'zod';

const skillName = z.string().trim().min(1).max(100);

const ruleAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), message: z.string().trim().min(1).max(2000) }).strict(),
  z.object({ kind: z.literal('redirect'), skill: skillName }).strict(),
  z.object({ kind: z.literal('cancel') }).strict(),
]);

/** What a rule does per case; the cases are WhosOn's skill-rule tabs. */
const ruleActions = z
  .object({
    normal: ruleAction,
    'outside-hours': ruleAction,
    always: ruleAction,
    offline: ruleAction,
  })
  .partial()
  .strict();

const ruleFields = {
  name: z.string().trim().min(1).max(100),
  /** The skill a matching chat routes to, by name. */
  skill: skillName,
  /** Rules run in ascending position (then creation order); the first match decides. */
  position: z.number().int().min(0).max(100_000),
  pageUrlContains: z.string().trim().min(1).max(255).nullable(),
  language: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be like "en" or "de-DE"')
    .nullable(),
  variables: z.record(z.string().trim().min(1).max(100), z.string().max(255)).nullable(),
  actions: ruleActions.nullable(),
};

export const newRoutingRuleBody = z
  .object({
    siteKey: z.string().trim().min(1).max(64),
    name: ruleFields.name,
    skill: ruleFields.skill,
    position: ruleFields.position.optional(),
    pageUrlContains: ruleFields.pageUrlContains.optional(),
    language: ruleFields.language.optional(),
    variables: ruleFields.variables.optional(),
    actions: ruleFields.actions.optional(),
  })
  .strict();

/** A change to a rule: any field but the site; `null` clears a condition (or every action). */
export const routingRuleChangesBody = z.object(ruleFields).partial().strict();
