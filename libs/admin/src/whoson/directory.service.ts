import { Injectable } from '@nestjs/common';
import { SessionService } from '@switchboard/identity';
import {
  type OperatorFilter,
  type OperatorStatus,
  SiteRepository,
  WorkPeriodRepository,
  UserGroupRepository,
  OperatorRepository,
  CannedResponseRepository,
} from '@switchboard/persistence';
import { AdminErrorCode, AdminException } from '../admin.exception';
import type { AdminActor } from '../support/admin-actor';
import { ChangeRecorder } from '../support/change-recorder';
import { siteView, userView } from './directory-views';
import type { ReloadOutcome } from './reload.service';

/** WhosOn's users.json filters as received (already validated). */
export interface UsersQuery {
  readonly contains?: string;
  readonly domain?: string;
  readonly status?: 'all' | 'connected' | '0' | '1' | '2' | '3';
  readonly skills?: string;
}

/** The WhosOn directory endpoints: sites and users read, deleted, paused and resumed. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly workPeriods: WorkPeriodRepository,
    private readonly userGroups: UserGroupRepository,
    private readonly operators: OperatorRepository,
    private readonly cannedResponseRepository: CannedResponseRepository,
    private readonly changes: ChangeRecorder,
    private readonly sessions: SessionService,
  ) {}

  async site(siteKey: string) {
    const site = await this.requireSite(siteKey);
    return siteView(site, await this.workPeriods.listForSite(site.id));
  }

  async user(username: string) {
    return userView(await this.requireUser(username), await this.userGroupNames());
  }

  async users(query: UsersQuery) {
    const status =
      query.status === undefined || query.status === 'all' || query.status === 'connected'
        ? query.status
        : (Number(query.status) as OperatorStatus);
    const filter: OperatorFilter = {
      contains: query.contains,
      status,
      skills: query.skills
        ?.split(',')
        .map((skill) => skill.trim())
        .filter((skill) => skill !== ''),
    };
    const domain = query.domain?.trim().toLowerCase();
    const operators = (await this.operators.list(filter)).filter(
      (operator) => !domain || (operator.email?.toLowerCase().endsWith(`@${domain}`) ?? false),
    );
    const groups = await this.userGroupNames();
    return operators.map((operator) => userView(operator, groups));
  }

  async userPhoto(username: string) {
    const user = await this.requireUser(username);
    return { username: user.username, photo: user.photo, encoding: 'base64' as const };
  }

  async cannedResponses(username: string) {
    const user = await this.requireUser(username);
    const responses = await this.cannedResponseRepository.listForOperator(user.id);
    return responses.map(({ id, title, text, operatorId }) => ({
      id,
      title,
      text,
      shared: operatorId === null,
    }));
  }

  /** pausesite/resumesite: a paused site takes no new chat (visitors are told so); open chats go on. */
  async setPaused(siteKey: string, paused: boolean, by: AdminActor): Promise<ReloadOutcome | null> {
    const site = await this.requireSite(siteKey);
    await this.sites.setPaused(siteKey, paused);
    return this.changes.applied(
      by,
      {
        action: paused ? 'site.pause' : 'site.resume',
        targetKind: 'site',
        targetKey: siteKey,
        oldValue: { paused: site.paused },
        newValue: { paused },
      },
      { target: 'site', key: siteKey },
    );
  }

  async deleteSite(siteKey: string, by: AdminActor): Promise<ReloadOutcome | null> {
    const site = await this.requireSite(siteKey);
    const outcome = await this.sites.deleteUnlessOpenChats(site.id);
    if (outcome.openChats > 0) {
      throw new AdminException(
        AdminErrorCode.InUse,
        `site ${siteKey} has ${outcome.openChats} open chat(s): pause it, let them end, then delete it`,
      );
    }
    if (outcome.connectorNumbers.length > 0) {
      const numbers = outcome.connectorNumbers.map((number) => `+${number}`).join(', ');
      throw new AdminException(
        AdminErrorCode.InUse,
        `site ${siteKey} has the WhatsApp chat connector(s) ${numbers}: delete them first ` +
          '(DELETE /api/chatconnectors/{id}, ids in GET /api/chatconnectors), then delete the site',
      );
    }
    if (!outcome.deleted) throw AdminException.notFound(`site ${siteKey}`);
    return this.changes.applied(
      by,
      { action: 'site.delete', targetKind: 'site', targetKey: siteKey, oldValue: site },
      { target: 'site', key: siteKey },
    );
  }

  async deleteUser(username: string, by: AdminActor): Promise<ReloadOutcome | null> {
    const user = await this.requireUser(username);
    const outcome = await this.operators.deleteUnlessChatting(user.id);
    if (outcome.openChats > 0) {
      throw new AdminException(
        AdminErrorCode.InUse,
        `user ${username} is in ${outcome.openChats} chat(s): delete them after their chats end`,
      );
    }
    if (!outcome.deleted) throw AdminException.notFound(`user ${username}`);
    // Their sessions went with them; the event closes their connections on every node.
    await this.sessions.revokeAll(user, 'deleted', by.actor, by);
    const { photo: _photo, ...old } = user;
    return this.changes.applied(
      by,
      { action: 'user.delete', targetKind: 'user', targetKey: username, oldValue: old },
      { target: 'user', key: username },
    );
  }

  async deleteUserGroup(id: number, by: AdminActor): Promise<ReloadOutcome | null> {
    const group = await this.userGroups.findById(id);
    if (group === null || !(await this.userGroups.delete(id)))
      throw AdminException.notFound(`user group ${id}`);
    return this.changes.applied(
      by,
      { action: 'usergroup.delete', targetKind: 'usergroup', targetKey: String(id), oldValue: group },
      { target: 'usergroups' },
    );
  }

  async deleteWorkPeriod(id: number, by: AdminActor): Promise<ReloadOutcome | null> {
    const period = await this.workPeriods.findById(id);
    if (period === null || !(await this.workPeriods.delete(id)))
      throw AdminException.notFound(`work period ${id}`);
    return this.changes.applied(
      by,
      { action: 'workperiod.delete', targetKind: 'workperiod', targetKey: String(id), oldValue: period },
      { target: 'workperiods' },
    );
  }

  async requireSite(siteKey: string) {
    const site = await this.sites.findByKey(siteKey);
    if (site === null) throw AdminException.notFound(`site ${siteKey}`);
    return site;
  }

  async requireUser(username: string) {
    const user = await this.operators.findByUsername(username);
    if (user === null) throw AdminException.notFound(`user ${username}`);
    return user;
  }

  private async userGroupNames(): Promise<Map<number, string>> {
    return new Map((await this.userGroups.list()).map((group) => [group.id, group.name]));
  }
}
