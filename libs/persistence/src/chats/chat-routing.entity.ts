import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { ChatEntity } from './chat.entity';

/**
 * Routing's bookkeeping of a chat it admitted: when it joined the queue, the auto pickup
 * request(s) out now, and when the visitor's client went away. Kept in the database so any routing instance can carry on after another died.
 */
@Entity({ name: 'chat_routing' })
export class ChatRoutingEntity {
  @PrimaryColumn(idColumn)
  chatId!: number;

  @OneToOne(() => ChatEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chat_id' })
  chat?: ChatEntity;

  /** When the chat joined its skill's queue (first in, first out within a priority). */
  @Column(timestampColumn)
  queuedAt!: Date;

  /** When the current offer went out; null while the chat only waits in the queue. */
  @Column({ ...timestampColumn, nullable: true })
  offeredAt!: Date | null;

  /** Operator ids the current offer went to, comma-separated ('' when none). */
  @Column({ type: 'varchar', length: 2000, default: '' })
  offeredTo!: string;

  /** Operator ids asked since the chat last left the queue (ACR retries skip them), comma-separated. */
  @Column({ type: 'varchar', length: 2000, default: '' })
  askedIds!: string;

  /**
   * Who declined the chat or let its offer expire, and when: `<operator id>@<epoch milliseconds>` entries,
   * comma-separated, newest last. They are not offered it again during the decline cool-down, and
   * after it only when no other agent who can take it is online. Kept across requeues and an agent
   * leaving the chat (OL).
   */
  @Column({ type: 'varchar', length: 2000, default: '' })
  declinedIds!: string;

  /** When the visitor's last connection to the chat dropped; null while connected (VT counts from it). */
  @Column({ ...timestampColumn, nullable: true })
  visitorGoneAt!: Date | null;

  /**
   * When a messenger node last had the visitor connected to the chat: every node stamps its connected
   * visitors every few seconds, so the visitor counts as present while any node has them.
   */
  @Column({ ...timestampColumn, nullable: true })
  visitorSeenAt!: Date | null;

  /**
   * When routing last told the agent the visitor's browser disconnected (RMS); a notice is due again
   * only once the visitor was present after it.
   */
  @Column({ ...timestampColumn, nullable: true })
  visitorGoneNoticedAt!: Date | null;

  /** Bumped by every change of the offer: a routing instance writes only over the round it read. */
  @Column({ type: 'integer', default: 0 })
  offerRound!: number;
}
