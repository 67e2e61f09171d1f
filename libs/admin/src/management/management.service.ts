import { Injectable } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { SessionService } from '@switchboard/identity';
import {
  type NamedItemRepository,
  type OperatorChanges,
  type OperatorRecord,
  type RevokeReason,
  SiteRepository,
  WorkPeriodRepository,
  UserGroupRepository,
  SkillRepository,
  OperatorRepository,
  CannedResponseRepository,
} from '@switchboard/persistence';
import type { z } from 'zod';
import { AdminErrorCode, AdminException } from '../admin.exception';
import type { AdminActor } from '../support/admin-actor';
import { ChangeRecorder } from '../support/change-recorder';
import { DirectoryService } from '../whoson/directory.service';
import { siteView, userView } from '../whoson/directory-views';
import type { ReloadOutcome } from '../whoson/reload.service';
import type {
  cannedResponseChangesBody,
  namedItemBody,
  namedItemChangesBody,
  newCannedResponseBody,
  newSiteBody,
  newUserBody,
  newWorkPeriodBody,
  siteChangesBody,
  userChangesBody,
} from './management.dto';

type Input<TSchema extends z.ZodType> = z.infer<TSchema>;
type NamedItemKind = 'skill' | 'usergroup';

/** What a change answers: the thing as it is now, and where its reload went. */
export interface ChangeAnswer<TValue> {
  readonly value: TValue;
  readonly reload: ReloadOutcome | null;
}

/** Creates and updates sites, users, user groups, skills, work periods, canned responses, parameters. */
@Injectable()
export class ManagementService {
  constructor(
    private readonly siteRepository: SiteRepository,
    private readonly workPeriods: WorkPeriodRepository,
    private readonly userGroups: UserGroupRepository,
    private readonly skills: SkillRepository,
    private readonly operators: OperatorRepository,
    private readonly cannedResponses: CannedResponseRepository,
    private readonly directory: DirectoryService,
    private readonly changes: ChangeRecorder,
    private readonly parameters: ParameterService,
    private readonly sessions: SessionService,
  ) {}

  async sites() {
    const sites = await this.siteRepository.list();
    return Promise.all(
      sites.map(async (site) => siteView(site, await this.workPeriods.listForSite(site.id))),
    );
  }

  async createSite(input: Input<typeof newSiteBody>, by: AdminActor) {
    const site = await this.siteRepository.create(input);
    const reload = await this.changes.applied(
      by,
      { action: 'site.create', targetKind: 'site', targetKey: site.siteKey, newValue: site },
      { target: 'site', key: site.siteKey },
    );
    return { value: siteView(site, []), reload };
  }

  async updateSite(siteKey: string, input: Input<typeof siteChangesBody>, by: AdminActor) {
    const before = await this.directory.requireSite(siteKey);
    const after = (await this.siteRepository.update(before.id, input)) ?? before;
    const reload = await this.changes.applied(
      by,
      { action: 'site.update', targetKind: 'site', targetKey: siteKey, oldValue: before, newValue: after },
      { target: 'site', key: siteKey },
    );
    return { value: siteView(after, await this.workPeriods.listForSite(after.id)), reload };
  }

  async createUser(input: Input<typeof newUserBody>, by: AdminActor) {
    const { userGroup, skills, ...fields } = input;
    const user = await this.operators.create({
      ...fields,
      // A new agent not given a capacity gets the cluster's default (0: none until an admin raises it).
      maxChats: fields.maxChats ?? this.parameters.get('ACD.Chat.Agent.DefaultMaxChats'),
      ...(await this.resolveLinks(userGroup, skills)),
    });
    const reload = await this.changes.applied(
      by,
      { action: 'user.create', targetKind: 'user', targetKey: user.username, newValue: auditable(user) },
      { target: 'user', key: user.username },
    );
    return { value: userView(user, await this.groupNames()), reload };
  }

  async updateUser(username: string, input: Input<typeof userChangesBody>, by: AdminActor) {
    const before = await this.directory.requireUser(username);
    const { userGroup, skills, ...fields } = input;
    const changes: OperatorChanges = { ...fields, ...(await this.resolveLinks(userGroup, skills)) };
    const after = (await this.operators.update(before.id, changes)) ?? before;
    const ending = sessionEndingChange(before, after, input.password !== undefined);
    if (ending !== null) await this.sessions.revokeAll(after, ending, by.actor, by);
    const reload = await this.changes.applied(
      by,
      {
        action: 'user.update',
        targetKind: 'user',
        targetKey: username,
        oldValue: auditable(before),
        newValue: { ...auditable(after), ...(input.password ? { password: 'changed' } : {}) },
      },
      { target: 'user', key: username },
    );
    return { value: userView(after, await this.groupNames()), reload };
  }

  async namedItems(kind: NamedItemKind) {
    return this.namedItemRepository(kind).list();
  }

  async createNamedItem(kind: NamedItemKind, input: Input<typeof namedItemBody>, by: AdminActor) {
    const item = await this.namedItemRepository(kind).create(input.name, input.description ?? null);
    const reload = await this.changes.applied(
      by,
      { action: `${kind}.create`, targetKind: kind, targetKey: String(item.id), newValue: item },
      { target: kind === 'skill' ? 'skills' : 'usergroups' },
    );
    return { value: item, reload };
  }

  async updateNamedItem(
    kind: NamedItemKind,
    id: number,
    input: Input<typeof namedItemChangesBody>,
    by: AdminActor,
  ) {
    const repository = this.namedItemRepository(kind);
    const before = await repository.findById(id);
    if (before === null) throw AdminException.notFound(`${kind} ${id}`);
    const after = (await repository.update(id, input)) ?? before;
    const reload = await this.changes.applied(
      by,
      {
        action: `${kind}.update`,
        targetKind: kind,
        targetKey: String(id),
        oldValue: before,
        newValue: after,
      },
      { target: kind === 'skill' ? 'skills' : 'usergroups' },
    );
    return { value: after, reload };
  }

  async addWorkPeriod(input: Input<typeof newWorkPeriodBody>, by: AdminActor) {
    const site = await this.directory.requireSite(input.siteKey);
    const period = await this.workPeriods.add({
      siteId: site.id,
      dayOfWeek: input.dayOfWeek,
      startMinute: input.start,
      endMinute: input.end,
    });
    const reload = await this.changes.applied(
      by,
      {
        action: 'workperiod.create',
        targetKind: 'workperiod',
        targetKey: String(period.id),
        newValue: period,
      },
      { target: 'workperiods' },
    );
    return { value: period, reload };
  }

  async createCannedResponse(input: Input<typeof newCannedResponseBody>, by: AdminActor) {
    const operatorId =
      input.username === undefined ? null : (await this.directory.requireUser(input.username)).id;
    const response = await this.cannedResponses.create({
      operatorId,
      title: input.title,
      text: input.text,
    });
    await this.changes.applied(by, {
      action: 'cannedresponse.create',
      targetKind: 'cannedresponse',
      targetKey: String(response.id),
      newValue: response,
    });
    return { value: response, reload: null };
  }

  async updateCannedResponse(id: number, input: Input<typeof cannedResponseChangesBody>, by: AdminActor) {
    const before = await this.cannedResponses.findById(id);
    if (before === null) throw AdminException.notFound(`canned response ${id}`);
    await this.cannedResponses.update(id, input);
    const after = (await this.cannedResponses.findById(id)) ?? before;
    await this.changes.applied(by, {
      action: 'cannedresponse.update',
      targetKind: 'cannedresponse',
      targetKey: String(id),
      oldValue: before,
      newValue: after,
    });
    return { value: after, reload: null };
  }

  /** Validates, stores (with the parameter's own audit), publishes `parameter.changed`; every process applies it. */
  async setParameter(name: string, value: string | null, by: AdminActor) {
    const change = await this.parameters.set(name, value, by.actor);
    await this.changes.applied(by, {
      action: value === null ? 'parameter.reset' : 'parameter.set',
      targetKind: 'parameter',
      targetKey: name,
      oldValue: change.previous,
      newValue: change.current,
    });
    return { value: this.parameters.view(change.name), reload: null };
  }

  private namedItemRepository(kind: NamedItemKind): NamedItemRepository {
    return kind === 'skill' ? this.skills : this.userGroups;
  }

  private async resolveLinks(userGroup: string | null | undefined, skills: readonly string[] | undefined) {
    const links: { userGroupId?: number | null; skillIds?: number[] } = {};
    if (userGroup !== undefined) {
      const group = userGroup === null ? null : await this.userGroups.findByName(userGroup);
      if (userGroup !== null && group === null)
        throw new AdminException(AdminErrorCode.BadRequest, `userGroup: no user group named ${userGroup}`);
      links.userGroupId = group?.id ?? null;
    }
    if (skills !== undefined) {
      const found = await Promise.all(skills.map((name) => this.skills.findByName(name)));
      const missing = skills.filter((_, index) => found[index] === null);
      if (missing.length > 0)
        throw new AdminException(AdminErrorCode.BadRequest, `skills: no skill named ${missing.join(', ')}`);
      links.skillIds = [...new Set(found.map((skill) => skill!.id))];
    }
    return links;
  }

  private async groupNames(): Promise<Map<number, string>> {
    return new Map((await this.userGroups.list()).map((group) => [group.id, group.name]));
  }
}

/** A change after which the user must log in again (their sessions end on every node), or null. */
function sessionEndingChange(
  before: OperatorRecord,
  after: OperatorRecord,
  passwordChanged: boolean,
): RevokeReason | null {
  if (after.disabled && !before.disabled) return 'disabled';
  if (after.role !== before.role) return 'role-changed';
  if (passwordChanged || after.authSource !== before.authSource) return 'password-changed';
  return null;
}

// The audit trail keeps what a user is, not their photo (up to 64 KB) nor anything secret.
function auditable<TUser extends { photo: string | null }>(
  user: TUser,
): Omit<TUser, 'photo'> & { photo: boolean } {
  return { ...user, photo: user.photo !== null };
}
