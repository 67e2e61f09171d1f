import { In, type EntityManager } from 'typeorm';
import { openChatStates } from '../chats/chat-types';
import { ChatEntity } from '../chats/chat.entity';
import { Refusal } from '../chats/operator-capacity';
import { ensureValid } from '../database/persistence.error';
import { containsPattern } from '../database/sql-values';
import { hashPassword, verifyPassword } from './password-hash';
import { isAuthSource, isOperatorRole, type AuthSource, type OperatorRole } from './operator-role';
import { OperatorSkillEntity } from './operator-skill.entity';
import { isOperatorStatus, OperatorStatus } from './operator-status';
import { OperatorEntity } from './operator.entity';
import { SkillEntity } from './skill.entity';
import type { Database } from '../database/database';

/** An operator as callers see it: never the password hash, skills by name. */
export type OperatorRecord = Readonly<
  Omit<OperatorEntity, 'passwordHash' | 'userGroup'> & { skills: string[] }
>;

/**
 * Fields of a new operator; `password` is hashed before it is stored. A local operator needs one; a
 * directory operator (LDAP, OIDC) may not have one: their directory checks who they are.
 */
export interface NewOperator {
  username: string;
  displayName: string;
  password?: string;
  /** @default 'agent' */
  role?: OperatorRole;
  /** @default 'local' */
  authSource?: AuthSource;
  /** @default false */
  disabled?: boolean;
  email?: string | null;
  /** @default 0 (takes no chats until configured, as in the seed product) */
  maxChats?: number;
  userGroupId?: number | null;
  skillIds?: number[];
  photo?: string | null;
}

/** WhosOn's `users.json` filters; every given filter must match. */
export interface OperatorFilter {
  /** Case-insensitive substring of username, display name or email. */
  contains?: string;
  /** `connected` = any status but offline. @default 'all' */
  status?: 'all' | 'connected' | OperatorStatus;
  /** Skill names the operator must hold, all of them. */
  skills?: string[];
}

/** Changeable fields of an operator (the username is its identity and stays); skills by id, replaced whole. */
export type OperatorChanges = Partial<Omit<NewOperator, 'username'>>;

/** Outcome of {@link OperatorRepository.deleteUnlessChatting}: `deleted` false with 0 chats = no such operator. */
export interface OperatorDeletion {
  readonly deleted: boolean;
  readonly openChats: number;
}

/** Operators (agents): accounts, presence status, capacity settings and skills. */
export class OperatorRepository {
  constructor(private readonly database: Database) {}

  async create(operator: NewOperator, createdAt = new Date()): Promise<OperatorRecord> {
    const { password, skillIds = [], ...fields } = operator;
    ensureValid(fields.username.trim() !== '', 'username must not be empty');
    ensureMaxChats(fields.maxChats ?? 0);
    ensureIdentity(fields.role ?? 'agent', fields.authSource ?? 'local', password);
    if ((fields.authSource ?? 'local') === 'local')
      ensureValid(password !== undefined, 'a local user needs a password');
    const passwordHash = password === undefined ? '' : await hashPassword(password);
    const id = await this.database.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(OperatorEntity, { ...fields, passwordHash, createdAt }),
      );
      await linkSkills(manager, saved.id, skillIds);
      return saved.id;
    });
    return this.require(id);
  }

  async findById(id: number): Promise<OperatorRecord | null> {
    const [record] = await this.withSkills(await this.database.manager.findBy(OperatorEntity, { id }));
    return record ?? null;
  }

  async findByUsername(username: string): Promise<OperatorRecord | null> {
    const [record] = await this.withSkills(await this.database.manager.findBy(OperatorEntity, { username }));
    return record ?? null;
  }

  /** The operator whose username, or else email, is `login` (case-insensitive for the email). */
  async findByLogin(login: string): Promise<OperatorRecord | null> {
    const byUsername = await this.findByUsername(login);
    if (byUsername !== null) return byUsername;
    const entity = await this.database.manager
      .createQueryBuilder(OperatorEntity, 'operator')
      .where('LOWER(operator.email) = :email', { email: login.toLowerCase() })
      .orderBy('operator.id', 'ASC')
      .getOne();
    return entity === null ? null : this.findById(entity.id);
  }

  /** The operator when they have a local password and `password` matches it, else null (also for unknown usernames). */
  async verifyCredentials(username: string, password: string): Promise<OperatorRecord | null> {
    const entity = await this.database.manager.findOneBy(OperatorEntity, { username });
    if (entity === null || !(await verifyPassword(password, entity.passwordHash))) return null;
    return this.findById(entity.id);
  }

  async setPassword(id: number, password: string): Promise<boolean> {
    const entity = await this.database.manager.findOneBy(OperatorEntity, { id });
    if (entity === null) return false;
    ensureIdentity(entity.role, entity.authSource, password);
    const passwordHash = await hashPassword(password);
    return this.updateOne(id, { passwordHash });
  }

  /** Sets the WhosOn status code and stamps the change time. */
  async setStatus(id: number, status: OperatorStatus, changedAt = new Date()): Promise<boolean> {
    ensureValid(isOperatorStatus(status), `status must be 0-3, got ${status}`);
    return this.updateOne(id, { status, statusChangedAt: changedAt });
  }

  async setMaxChats(id: number, maxChats: number): Promise<boolean> {
    ensureMaxChats(maxChats);
    return this.updateOne(id, { maxChats });
  }

  /** Replaces the operator's skills in one transaction. */
  async setSkills(id: number, skillIds: number[]): Promise<void> {
    await this.database.transaction(async (manager) => {
      await manager.delete(OperatorSkillEntity, { operatorId: id });
      await linkSkills(manager, id, skillIds);
    });
  }

  async list(filter: OperatorFilter = {}): Promise<OperatorRecord[]> {
    const query = this.database.manager
      .createQueryBuilder(OperatorEntity, 'operator')
      .orderBy('operator.username', 'ASC');
    if (filter.contains !== undefined && filter.contains !== '') {
      query.andWhere(
        "(LOWER(operator.username) LIKE :text ESCAPE '!' OR LOWER(operator.displayName) LIKE :text ESCAPE '!' OR LOWER(operator.email) LIKE :text ESCAPE '!')",
        { text: containsPattern(filter.contains.toLowerCase()) },
      );
    }
    if (filter.status === 'connected')
      query.andWhere('operator.status <> :offline', { offline: OperatorStatus.offline });
    else if (filter.status !== undefined && filter.status !== 'all')
      query.andWhere('operator.status = :status', filter);
    if (filter.skills !== undefined && filter.skills.length > 0) {
      const skillNames = [...new Set(filter.skills)];
      const holders = query
        .subQuery()
        .select('held.operator_id')
        .from(OperatorSkillEntity, 'held')
        .innerJoin(SkillEntity, 'skill', 'skill.id = held.skill_id')
        .where('skill.name IN (:...skillNames)')
        .groupBy('held.operator_id')
        .having('COUNT(*) = :skillCount');
      query.andWhere(`operator.id IN ${holders.getQuery()}`, { skillNames, skillCount: skillNames.length });
    }
    return this.withSkills(await query.getMany());
  }

  /** Recomputes every open-chat counter from the active chats (after a crash or a manual fix). */
  async rebuildOpenChatCounts(): Promise<void> {
    await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(OperatorEntity)
        .set({
          openChats: () =>
            "(SELECT COUNT(*) FROM chats WHERE chats.operator_id = operators.id AND chats.state = 'active')",
        })
        .execute(),
    );
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(OperatorEntity, { id }));
    return result.affected === 1;
  }

  /** Applies `changes` in one transaction; returns the updated operator, or null when it does not exist. */
  async update(id: number, changes: OperatorChanges): Promise<OperatorRecord | null> {
    const { password, skillIds, ...fields } = changes;
    if (fields.maxChats !== undefined) ensureMaxChats(fields.maxChats);
    if (fields.displayName !== undefined)
      ensureValid(fields.displayName.trim() !== '', 'name must not be empty');
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const found = await this.database.transaction(async (manager) => {
      const current = await manager.findOneBy(OperatorEntity, { id });
      if (current === null) return false;
      const authSource = fields.authSource ?? current.authSource;
      ensureIdentity(fields.role ?? current.role, authSource, password);
      ensureValid(
        authSource !== 'local' || passwordHash !== undefined || current.passwordHash !== '',
        'a user moved to local log-in needs a password',
      );
      // A directory user keeps no local password, whatever they had before.
      const hash = authSource === 'local' ? passwordHash : '';
      const columns = { ...fields, ...(hash === undefined ? {} : { passwordHash: hash }) };
      if (Object.keys(columns).length > 0) await manager.update(OperatorEntity, { id }, columns);
      if (skillIds !== undefined) {
        await manager.delete(OperatorSkillEntity, { operatorId: id });
        await linkSkills(manager, id, skillIds);
      }
      return true;
    });
    return found ? this.findById(id) : null;
  }

  /** Deletes an operator unless they hold an open chat; the check and the delete are one transaction. */
  async deleteUnlessChatting(id: number): Promise<OperatorDeletion> {
    try {
      return await this.database.transaction(async (manager) => {
        const openChats = await manager.countBy(ChatEntity, {
          operatorId: id,
          state: In([...openChatStates]),
        });
        if (openChats > 0) throw new Refusal(String(openChats));
        const result = await manager.delete(OperatorEntity, { id });
        return { deleted: result.affected === 1, openChats: 0 };
      });
    } catch (error) {
      if (error instanceof Refusal) return { deleted: false, openChats: Number(error.reason) };
      throw error;
    }
  }

  private async updateOne(id: number, changes: Partial<OperatorEntity>): Promise<boolean> {
    const result = await this.database.transaction((manager) =>
      manager.update(OperatorEntity, { id }, changes),
    );
    return result.affected === 1;
  }

  private async require(id: number): Promise<OperatorRecord> {
    const record = await this.findById(id);
    if (record === null) throw new Error(`operator ${id} vanished right after it was written`);
    return record;
  }

  private async withSkills(entities: OperatorEntity[]): Promise<OperatorRecord[]> {
    const ids = entities.map((entity) => entity.id);
    const held =
      ids.length === 0
        ? []
        : await this.database.manager
            .createQueryBuilder(OperatorSkillEntity, 'held')
            .innerJoin(SkillEntity, 'skill', 'skill.id = held.skill_id')
            .select('held.operator_id', 'operatorId')
            .addSelect('skill.name', 'name')
            .where({ operatorId: In(ids) })
            .orderBy('skill.name', 'ASC')
            .getRawMany<{ operatorId: number; name: string }>();
    return entities.map(({ passwordHash: _passwordHash, userGroup: _userGroup, ...fields }) => ({
      ...fields,
      skills: held.filter((link) => link.operatorId === fields.id).map((link) => link.name),
    }));
  }
}

async function linkSkills(manager: EntityManager, operatorId: number, skillIds: number[]): Promise<void> {
  if (skillIds.length === 0) return;
  await manager.insert(
    OperatorSkillEntity,
    skillIds.map((skillId) => ({ operatorId, skillId })),
  );
}

function ensureIdentity(role: string, authSource: string, password: string | undefined): void {
  ensureValid(isOperatorRole(role), `role must be agent, supervisor or administrator, got ${role}`);
  ensureValid(isAuthSource(authSource), `authSource must be local, ldap or oidc, got ${authSource}`);
  ensureValid(
    authSource === 'local' || password === undefined,
    `a ${authSource} user has no local password: their directory checks it`,
  );
}

function ensureMaxChats(maxChats: number): void {
  ensureValid(
    Number.isInteger(maxChats) && maxChats >= 0,
    `max chats must be a whole number from 0, got ${maxChats}`,
  );
}
