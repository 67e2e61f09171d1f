import { Injectable } from '@nestjs/common';
import {
  type NewRoutingRule,
  type RoutingRuleChanges,
  type RoutingRuleRecord,
  type SiteRecord,
  SiteRepository,
  SkillRepository,
  RoutingRuleRepository,
} from '@switchboard/persistence';
import type { z } from 'zod';
import { AdminErrorCode, AdminException } from '../admin.exception';
import type { AdminActor } from '../support/admin-actor';
import { ChangeRecorder } from '../support/change-recorder';
import { DirectoryService } from '../whoson/directory.service';
import type { ChangeAnswer } from './management.service';
import type { newRoutingRuleBody, routingRuleChangesBody } from './routing-rule.dto';

type NewRule = z.infer<typeof newRoutingRuleBody>;
type RuleChanges = z.infer<typeof routingRuleChangesBody>;

/** A routing rule as the admin API shows (and audits) it: its site by key. */
export type RoutingRuleView = Omit<RoutingRuleRecord, 'siteId'> & { readonly siteKey: string };

const withoutNulls = <TValue extends object>(value: TValue) =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null)) as {
    [Key in keyof TValue]: Exclude<TValue[Key], null>;
  };

/**
 * A site's routing rules (WhosOn's skill rules). Routing reads them from the database at every pass,
 * so a change applies to the next chat request; the `site` reload tells every process all the same.
 */
@Injectable()
export class RoutingRulesService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly skills: SkillRepository,
    private readonly routingRules: RoutingRuleRepository,
    private readonly directory: DirectoryService,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(siteKey: string): Promise<RoutingRuleView[]> {
    const site = await this.directory.requireSite(siteKey);
    return (await this.routingRules.listForSite(site.id)).map((rule) => view(rule, site));
  }

  async create(input: NewRule, by: AdminActor): Promise<ChangeAnswer<RoutingRuleView>> {
    const { siteKey, ...fields } = input;
    const site = await this.directory.requireSite(siteKey);
    await this.requireSkills(fields);
    const rule: NewRoutingRule = { ...withoutNulls(fields), siteId: site.id };
    const value = view(await this.routingRules.create(rule), site);
    const reload = await this.changes.applied(
      by,
      {
        action: 'routingrule.create',
        targetKind: 'routingrule',
        targetKey: String(value.id),
        newValue: value,
      },
      { target: 'site', key: site.siteKey },
    );
    return { value, reload };
  }

  async update(id: number, input: RuleChanges, by: AdminActor): Promise<ChangeAnswer<RoutingRuleView>> {
    const { before, site } = await this.requireRule(id);
    await this.requireSkills(input);
    const changes: RoutingRuleChanges = input;
    const after = (await this.routingRules.update(id, changes)) ?? before;
    const value = view(after, site);
    const reload = await this.changes.applied(
      by,
      {
        action: 'routingrule.update',
        targetKind: 'routingrule',
        targetKey: String(id),
        oldValue: view(before, site),
        newValue: value,
      },
      { target: 'site', key: site.siteKey },
    );
    return { value, reload };
  }

  async delete(id: number, by: AdminActor): Promise<ChangeAnswer<RoutingRuleView>> {
    const { before, site } = await this.requireRule(id);
    if (!(await this.routingRules.delete(id))) throw AdminException.notFound(`routing rule ${id}`);
    const value = view(before, site);
    const reload = await this.changes.applied(
      by,
      { action: 'routingrule.delete', targetKind: 'routingrule', targetKey: String(id), oldValue: value },
      { target: 'site', key: site.siteKey },
    );
    return { value, reload };
  }

  private async requireRule(id: number): Promise<{ before: RoutingRuleRecord; site: SiteRecord }> {
    const before = await this.routingRules.findById(id);
    const site = before === null ? null : await this.sites.findById(before.siteId);
    if (before === null || site === null) throw AdminException.notFound(`routing rule ${id}`);
    return { before, site };
  }

  /** The skill a rule routes to and every redirect's skill must exist (by name). */
  private async requireSkills(rule: Pick<RuleChanges, 'skill' | 'actions'>): Promise<void> {
    const named = [
      ...(rule.skill === undefined ? [] : [['skill', rule.skill]]),
      ...Object.entries(rule.actions ?? {}).flatMap(([ruleCase, action]) =>
        action.kind === 'redirect' ? [[`actions.${ruleCase}.skill`, action.skill]] : [],
      ),
    ];
    for (const [field, skill] of named)
      if ((await this.skills.findByName(skill)) === null)
        throw new AdminException(AdminErrorCode.BadRequest, `${field}: no skill named ${skill}`);
  }
}

function view(rule: RoutingRuleRecord, site: SiteRecord): RoutingRuleView {
  const { siteId: _siteId, ...fields } = rule;
  return { ...fields, siteKey: site.siteKey };
}
