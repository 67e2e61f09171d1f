import type { QueryRunner } from 'typeorm';
import type { Database } from '../database/database';
import { PersistenceError } from '../database/persistence.error';
import { isUniqueViolation, withDeadlockRetry } from '../database/transaction';
import { encryptedColumns, sealColumn } from '../encryption/encrypted-columns';
import { openChatStates, type ChatChannel } from './chat-types';
import { enqueueWebhookEvents, lineEvent } from '../outbound-webhooks/webhook-outbox';
import type { ChatLineEntity } from './chat-line.entity';
import { appendLineAlone, refusal, type AppendCondition, type PendingLine } from './line-append';

interface Pending {
  readonly line: PendingLine;
  readonly condition: AppendCondition;
  readonly resolve: (stored: ChatLineEntity) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends chat lines on MariaDB in shared transactions (group commit). An append starts a
 * transaction at once while fewer than `maxInFlight` run; otherwise it waits and goes, with every
 * line that waited meanwhile, into the next one. Each transaction is five statements, whatever the
 * number of lines and chats in it:
 *
 *   START TRANSACTION
 *   SELECT … FROM chats FORCE INDEX (PRIMARY) WHERE id IN (…) ORDER BY id FOR UPDATE
 *       (locks the chats in id order, so two groups never deadlock each other; each line's condition
 *        is checked against the locked row: a refused line takes no sequence)
 *   UPDATE chats FORCE INDEX (PRIMARY) SET last_line_seq = CASE id WHEN … END … WHERE id IN (…)
 *       (FORCE INDEX: with a long list the optimiser would scan the table, waiting on and locking
 *        rows of other groups' chats, which deadlocks)
 *   INSERT INTO chat_lines … VALUES (…), (…)      (every accepted line)
 *   COMMIT                                        (one fsync for the whole group)
 *
 * A chat's row stays locked until the commit, so sequences have no gap and no duplicate, as with
 * one transaction per line.
 * When a line's external id is already stored (a resend), the group is rolled back and each of its
 * lines runs in a transaction of its own, which returns the stored copy.
 */
export class LineGroupCommit {
  private waiting: Pending[] = [];
  private inFlight = 0;
  /** Lines of each chat in groups in flight. */
  private readonly chatsInFlight = new Map<number, number>();
  private consecutiveIds: Promise<boolean> | undefined;

  constructor(
    private readonly database: Database,
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
      const group = this.nextGroup();
      if (group.length === 0) return;
      this.inFlight += 1;
      for (const pending of group)
        this.chatsInFlight.set(pending.line.chatId, (this.chatsInFlight.get(pending.line.chatId) ?? 0) + 1);
      void this.settle(group).finally(() => {
        this.inFlight -= 1;
        for (const pending of group) {
          const left = (this.chatsInFlight.get(pending.line.chatId) ?? 1) - 1;
          if (left === 0) this.chatsInFlight.delete(pending.line.chatId);
          else this.chatsInFlight.set(pending.line.chatId, left);
        }
        this.pump();
      });
    }
  }

  /**
   * The next group: waiting lines in arrival order, leaving out the chats that have lines in a
   * group in flight. A chat's lines therefore commit in the order they were appended on this node
   * (two concurrent groups could otherwise lock the chat in either order).
   */
  private nextGroup(): Pending[] {
    const group: Pending[] = [];
    const held: Pending[] = [];
    for (const pending of this.waiting) {
      if (group.length < this.maxLines && !this.chatsInFlight.has(pending.line.chatId)) group.push(pending);
      else held.push(pending);
    }
    this.waiting = held;
    return group;
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
      // One after another: a chat's lines keep their order in the retry too.
      for (const pending of group)
        await appendLineAlone(this.database, pending.line, pending.condition).then(
          pending.resolve,
          pending.reject,
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
    const runner = this.database.dataSource.createQueryRunner('master');
    try {
      await runner.startTransaction();
      const chats = await this.lockChats(runner, group);
      const accepted: number[] = [];
      const sequences = new Map<number, number>();
      group.forEach(({ line, condition }, index) => {
        const chat = chats.get(line.chatId);
        if (!chat || !allows(chat, condition)) {
          outcomes[index] = refusal(line.chatId, condition);
          return;
        }
        chat.lastLineSeq += 1;
        chat.lastActivityAt = Math.max(chat.lastActivityAt, line.createdAt.getTime());
        chat.bumped = true;
        sequences.set(index, chat.lastLineSeq);
        accepted.push(index);
      });
      await this.saveSequences(
        runner,
        [...chats.values()].filter((chat) => chat.bumped),
      );
      const ids = await this.insert(
        runner,
        accepted.map((index) => ({ ...group[index].line, sequence: sequences.get(index) ?? 0 })),
      );
      accepted.forEach((index, position) => {
        outcomes[index] = { ...group[index].line, id: ids[position], sequence: sequences.get(index) ?? 0 };
      });
      await enqueueWebhookEvents(
        runner.manager,
        accepted.map((index) => {
          const { line } = group[index];
          const chat = chats.get(line.chatId)!;
          return lineEvent(chat, { ...line, sequence: sequences.get(index) ?? 0 });
        }),
        new Date(Math.max(...accepted.map((index) => group[index].line.createdAt.getTime()))),
      );
      await runner.commitTransaction();
      return outcomes as Array<ChatLineEntity | PersistenceError>;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Reads and row-locks the group's chats, in id order (so two groups never deadlock each other). */
  private async lockChats(runner: QueryRunner, group: readonly Pending[]): Promise<Map<number, LockedChat>> {
    const ids = [...new Set(group.map((pending) => pending.line.chatId))].sort((a, b) => a - b);
    const rows = (await runner.query(
      `SELECT id, state, operator_id, last_line_seq, site_id, chat_uid, channel FROM chats FORCE INDEX (PRIMARY) WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id FOR UPDATE`,
      ids,
    )) as Array<{
      id: number;
      state: string;
      operator_id: number | null;
      last_line_seq: number;
      site_id: number;
      chat_uid: string;
      channel: ChatChannel;
    }>;
    return new Map(
      rows.map((row) => [
        Number(row.id),
        {
          id: Number(row.id),
          state: row.state,
          operatorId: row.operator_id === null ? null : Number(row.operator_id),
          lastLineSeq: Number(row.last_line_seq),
          siteId: Number(row.site_id),
          chatUid: row.chat_uid,
          channel: row.channel,
          lastActivityAt: 0,
          bumped: false,
        },
      ]),
    );
  }

  /** Writes the chats' new last sequences (and activity times) in one statement. */
  private async saveSequences(runner: QueryRunner, chats: readonly LockedChat[]): Promise<void> {
    if (chats.length === 0) return;
    const cases = chats.map(() => 'WHEN ? THEN ?').join(' ');
    await runner.query(
      `UPDATE chats FORCE INDEX (PRIMARY) SET last_line_seq = CASE id ${cases} END, last_activity_at = CASE id ${cases} END WHERE id IN (${chats.map(() => '?').join(', ')})`,
      [
        ...chats.flatMap((chat) => [chat.id, chat.lastLineSeq]),
        ...chats.flatMap((chat) => [chat.id, new Date(chat.lastActivityAt)]),
        ...chats.map((chat) => chat.id),
      ],
    );
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
        sealColumn(encryptedColumns.lineSenderName, line.senderName),
        line.operatorId,
        sealColumn(encryptedColumns.lineText, line.text),
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

/** A chat row as the group's transaction locked it, and what the group changes in it. */
interface LockedChat {
  readonly id: number;
  readonly state: string;
  readonly operatorId: number | null;
  readonly siteId: number;
  readonly chatUid: string;
  readonly channel: ChatChannel;
  lastLineSeq: number;
  lastActivityAt: number;
  bumped: boolean;
}

function allows(chat: LockedChat, condition: AppendCondition): boolean {
  if (condition.open && !(openChatStates as readonly string[]).includes(chat.state)) return false;
  return condition.operatorId === undefined || chat.operatorId === condition.operatorId;
}
