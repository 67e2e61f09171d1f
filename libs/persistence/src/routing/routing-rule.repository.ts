import { ensureValid } from '../database/persistence.error';
import { RoutingRuleEntity } from './routing-rule.entity';
import type { Database } from '../database/database';

/** The cases a rule can act in, as WhosOn's skill-rule tabs. */
export const ruleCases = ['normal', 'outside-hours', 'always', 'offline'] as const;
export type RuleCaseName = (typeof ruleCases)[number];

/** What a rule does in a case: show a message, redirect to another skill, or cancel the chat. */
export type RuleActionRecord =
  | { readonly kind: 'message'; readonly message: string }
  | { readonly kind: 'redirect'; readonly skill: string }
  | { readonly kind: 'cancel' };

/** A routing rule as callers see it: unset conditions are absent, JSON columns parsed. */
export interface RoutingRuleRecord {
  readonly id: number;
  readonly siteId: number;
  readonly position: number;
  readonly name: string;
  readonly pageUrlContains?: string;
  readonly language?: string;
  readonly variables?: Readonly<Record<string, string>>;
  readonly skill: string;
  readonly actions?: Partial<Readonly<Record<RuleCaseName, RuleActionRecord>>>;
}

export type NewRoutingRule = Omit<RoutingRuleRecord, 'id' | 'position'> & { position?: number };

/** Changes to a rule: a field set to `null` clears that condition (or every action). */
export interface RoutingRuleChanges {
  readonly position?: number;
  readonly name?: string;
  readonly skill?: string;
  readonly pageUrlContains?: string | null;
  readonly language?: string | null;
  readonly variables?: Readonly<Record<string, string>> | null;
  readonly actions?: RoutingRuleRecord['actions'] | null;
}

function ensureAction(name: string, action: RuleActionRecord): void {
  ensureValid(
    ruleCases.includes(name as RuleCaseName),
    `unknown rule case "${name}" (${ruleCases.join(', ')})`,
  );
  if (action.kind === 'message')
    ensureValid(action.message.trim() !== '', `the ${name} message must not be empty`);
  else if (action.kind === 'redirect')
    ensureValid(action.skill.trim() !== '', `the ${name} redirect needs a skill`);
  else ensureValid(action.kind === 'cancel', `unknown action "${(action as { kind: string }).kind}"`);
}

function ensureRule(rule: RoutingRuleChanges): void {
  if (rule.name !== undefined) ensureValid(rule.name.trim() !== '', 'a rule needs a name');
  if (rule.skill !== undefined) ensureValid(rule.skill.trim() !== '', 'a rule needs the skill it routes to');
  for (const [name, action] of Object.entries(rule.actions ?? {})) ensureAction(name, action);
}

const json = (value: object | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null ? null : JSON.stringify(value);

const toRecord = (entity: RoutingRuleEntity): RoutingRuleRecord => ({
  id: entity.id,
  siteId: entity.siteId,
  position: entity.position,
  name: entity.name,
  skill: entity.skill,
  ...(entity.pageUrlContains === null ? {} : { pageUrlContains: entity.pageUrlContains }),
  ...(entity.language === null ? {} : { language: entity.language }),
  ...(entity.variables === null ? {} : { variables: JSON.parse(entity.variables) as Record<string, string> }),
  ...(entity.actions === null ? {} : { actions: JSON.parse(entity.actions) as RoutingRuleRecord['actions'] }),
});

/** Routing rules per site, in the order they run. */
export class RoutingRuleRepository {
  constructor(private readonly database: Database) {}

  async create(rule: NewRoutingRule): Promise<RoutingRuleRecord> {
    ensureRule(rule);
    const saved = await this.database.transaction((manager) =>
      manager.save(
        manager.create(RoutingRuleEntity, {
          siteId: rule.siteId,
          position: rule.position ?? 0,
          name: rule.name,
          skill: rule.skill,
          pageUrlContains: rule.pageUrlContains ?? null,
          language: rule.language ?? null,
          variables: json(rule.variables) ?? null,
          actions: json(rule.actions) ?? null,
        }),
      ),
    );
    return toRecord(saved);
  }

  /** The site's rules in the order they run (position, then creation). */
  async listForSite(siteId: number): Promise<RoutingRuleRecord[]> {
    const entities = await this.database.manager.find(RoutingRuleEntity, {
      where: { siteId },
      order: { position: 'ASC', id: 'ASC' },
    });
    return entities.map(toRecord);
  }

  async findById(id: number): Promise<RoutingRuleRecord | null> {
    const entity = await this.database.manager.findOneBy(RoutingRuleEntity, { id });
    return entity === null ? null : toRecord(entity);
  }

  /** Applies `changes` to rule `id`; null when there is no such rule. */
  async update(id: number, changes: RoutingRuleChanges): Promise<RoutingRuleRecord | null> {
    ensureRule(changes);
    const { variables, actions, ...columns } = changes;
    return this.database.transaction(async (manager) => {
      const entity = await manager.findOneBy(RoutingRuleEntity, { id });
      if (entity === null) return null;
      const stored = Object.fromEntries(
        Object.entries({ ...columns, variables: json(variables), actions: json(actions) }).filter(
          ([, value]) => value !== undefined,
        ),
      );
      return toRecord(await manager.save(manager.merge(RoutingRuleEntity, entity, stored)));
    });
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(RoutingRuleEntity, { id }));
    return result.affected === 1;
  }
}
