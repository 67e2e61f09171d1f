import type { EntityManager } from 'typeorm';
import { OperatorEntity } from '../operators/operator.entity';

/** Thrown inside a transaction to roll it back with a business reason, caught by the repository. */
export class Refusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Takes one unit of the operator's capacity (`open_chats < max_chats`) or refuses with `operator-at-capacity`. */
export async function claimCapacity(manager: EntityManager, operatorId: number): Promise<void> {
  const claimed = await manager
    .createQueryBuilder()
    .update(OperatorEntity)
    .set({ openChats: () => 'open_chats + 1' })
    .where('id = :operatorId AND open_chats < max_chats', { operatorId })
    .execute();
  if (claimed.affected !== 1) throw new Refusal('operator-at-capacity');
}

/** Gives one unit back; never below zero, so a release after a counter rebuild cannot go negative. */
export async function releaseCapacity(manager: EntityManager, operatorId: number): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(OperatorEntity)
    .set({ openChats: () => 'open_chats - 1' })
    .where('id = :operatorId AND open_chats > 0', { operatorId })
    .execute();
}
