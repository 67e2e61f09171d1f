import type { DataSource, QueryRunner } from 'typeorm';
import { PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { isUniqueViolation, withDeadlockRetry } from '../database/transaction';
import { openChatStates } from './chat-types';
import type { ChatLineEntity } from './chat-line.entity';

/** Who may append: unless it holds, the line is refused and nothing is written. */
export interface AppendCondition {
  /** The chat must be in an open state (not closed, not missed). */
  readonly open?: boolean;
  /** The chat must be assigned to this operator. */
  readonly operatorId?: number;
}

/** What {@link LineGroupCommit} stores: a line with everything but its sequence and id. */
export type PendingLine = Omit<ChatLineEntity, 'id' | 'sequence' | 'chat' | 'operator'>;

interface Pending {
  readonly line: PendingLine;
  readonly condition: AppendCondition;
  readonly resolve: (stored: ChatLineEntity) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends chat lines on MariaDB in shared transactions (group commit). An append starts a
 * transaction at once while fewer than `maxInFlight` run; otherwise it waits and goes, with every
 * line that waited meanwhile, into the next one. Each transaction is
 *
 *   START TRANSACTION
 *   UPDATE chats SET last_line_seq = LAST_INSERT_ID(last_line_seq + n) … WHERE id = ? [AND condition]
 *       (once per chat and condition, in chat id order so two transactions never deadlock each other;
 *        the server returns the new last sequence as the statement's insert id: no SELECT)
 *   INSERT INTO chat_lines … VALUES (…), (…)      (every accepted line, one statement)
 *   COMMIT                                        (one fsync for the whole group)
 *
 * so the per-line cost is a share of 3 + chats round trips instead of 5. A chat's row stays locked
 * until the commit, so sequences have no gap and no duplicate, as with one transaction per line.
 * When a line's external id is already stored (a resend), the group is rolled back and `retryAlone`
 * runs each of its lines in a transaction of its own, which returns the stored copy.
 */
export class LineGroupCommit {
  private waiting: Pending[] = [];
  private inFlight = 0;
  private consecutiveIds: Promise<boolean> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly retryAlone: (line: PendingLine, condition: AppendCondition) => Promise<ChatLineEntity>,
    private readonly maxInFlight = 4,
    private readonly maxLines = 200,
  ) {}

  append(line: PendingLine, condition: AppendCondition): Promise<ChatLineEntity> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ line, condition, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.maxLines);
      this.inFlight += 1;
      void this.settle(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async settle(group: Pending[]): Promise<void> {
    let outcomes: Array<ChatLineEntity | PersistenceError>;
    try {
      outcomes = await withDeadlockRetry(() => this.commit(group));
    } catch (error) {
      if (!isUniqueViolation(error)) {
        for (const pending of group) pending.reject(error);
        return;
      }
      await Promise.all(
        group.map((pending) =>
          this.retryAlone(pending.line, pending.condition).then(pending.resolve, pending.reject),
        ),
      );
      return;
    }
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome instanceof PersistenceError) pending.reject(outcome);
      else pending.resolve(outcome);
    });
  }

  /** One transaction for the group: the stored line, or why it was refused, for each. */
  private async commit(group: readonly Pending[]): Promise<Array<ChatLineEntity | PersistenceError>> {
    const outcomes = Array.from<ChatLineEntity | PersistenceError | undefined>({ length: group.length });
    const runner = this.dataSource.createQueryRunner('master');
    try {
      await runner.startTransaction();
      const accepted: number[] = [];
      const sequences = new Map<number, number>();
      for (const members of byChatAndCondition(group)) {
        const first = group[members[0]];
        const newest = members.reduce(
          (latest, index) => Math.max(latest, group[index].line.createdAt.getTime()),
          0,
        );
        const last = await this.bump(runner, first.line.chatId, first.condition, members.length, newest);
        if (last === undefined) {
          for (const index of members) outcomes[index] = refusal(first.line.chatId, first.condition);
          continue;
        }
        members.forEach((index, offset) => sequences.set(index, last - members.length + 1 + offset));
        accepted.push(...members);
      }
      const ids = await this.insert(
        runner,
        accepted.map((index) => ({ ...group[index].line, sequence: sequences.get(index) ?? 0 })),
      );
      accepted.forEach((index, position) => {
        outcomes[index] = {
          ...group[index].line,
          id: ids[position],
          sequence: sequences.get(index) ?? 0,
        };
      });
      await runner.commitTransaction();
      return outcomes as Array<ChatLineEntity | PersistenceError>;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Adds `count` to the chat's last sequence if the condition holds: the new last sequence, or undefined. */
  private async bump(
    runner: QueryRunner,
    chatId: number,
    condition: AppendCondition,
    count: number,
    at: number,
  ): Promise<number | undefined> {
    const where = ['id = ?'];
    const parameters: unknown[] = [count, new Date(at), chatId];
    if (condition.open) where.push(`state IN (${openChatStates.map(() => '?').join(', ')})`);
    if (condition.open) parameters.push(...openChatStates);
    if (condition.operatorId !== undefined) {
      where.push('operator_id = ?');
      parameters.push(condition.operatorId);
    }
    const result = (await runner.query(
      `UPDATE chats SET last_line_seq = LAST_INSERT_ID(last_line_seq + ?), last_activity_at = ? WHERE ${where.join(' AND ')}`,
      parameters,
      true,
    )) as { affected?: number; raw: { insertId: number } };
    return result.affected === 1 ? Number(result.raw.insertId) : undefined;
  }

  /** Inserts the lines in one statement; their ids, in order. */
  private async insert(
    runner: QueryRunner,
    lines: ReadonlyArray<PendingLine & { sequence: number }>,
  ): Promise<number[]> {
    if (lines.length === 0) return [];
    if (lines.length > 1 && !(await this.idsAreConsecutive(runner))) {
      const ids: number[] = [];
      for (const line of lines) ids.push(...(await this.insert(runner, [line])));
      return ids;
    }
    const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
    const result = (await runner.query(
      `INSERT INTO chat_lines (chat_id, sequence, sender_kind, sender_name, operator_id, text, external_message_id, delivery_state, created_at) VALUES ${lines.map(() => row).join(', ')}`,
      lines.flatMap((line) => [
        line.chatId,
        line.sequence,
        line.senderKind,
        line.senderName,
        line.operatorId,
        line.text,
        line.externalMessageId,
        line.deliveryState,
        line.createdAt,
      ]),
      true,
    )) as { raw: { insertId: number } };
    const firstId = Number(result.raw.insertId);
    return lines.map((_, index) => firstId + index);
  }

  /**
   * A multi-row INSERT gets consecutive ids unless InnoDB interleaves them
   * (`innodb_autoinc_lock_mode` = 2); then the lines are inserted one per statement.
   */
  private idsAreConsecutive(runner: QueryRunner): Promise<boolean> {
    this.consecutiveIds ??= (
      runner.query('SELECT @@innodb_autoinc_lock_mode AS mode') as Promise<Array<{ mode: number | string }>>
    ).then(
      (rows) => Number(rows[0]?.mode) !== 2,
      () => false,
    );
    return this.consecutiveIds;
  }
}

/** Indexes of the group, by chat and condition, in chat id order (the lock order). */
function byChatAndCondition(group: readonly Pending[]): number[][] {
  const members = new Map<string, number[]>();
  group.forEach((pending, index) => {
    const { open = false, operatorId = '' } = pending.condition;
    const key = `${pending.line.chatId}/${open}/${operatorId}`;
    const list = members.get(key);
    if (list) list.push(index);
    else members.set(key, [index]);
  });
  return [...members.values()].sort((a, b) => group[a[0]].line.chatId - group[b[0]].line.chatId);
}

export function refusal(chatId: number, condition: AppendCondition): PersistenceError {
  if (!condition.open && condition.operatorId === undefined)
    return new PersistenceError(PersistenceErrorCode.NotFound, `no chat ${chatId}`);
  const rule = [
    condition.open && 'open',
    condition.operatorId !== undefined && `assigned to operator ${condition.operatorId}`,
  ]
    .filter(Boolean)
    .join(' and ');
  return new PersistenceError(
    PersistenceErrorCode.Refused,
    `chat ${chatId} does not exist or is not ${rule}`,
  );
}
