import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import type { AuthSource, OperatorRole } from './operator-role';
import type { OperatorStatus } from './operator-status';
import { UserGroupEntity } from './user-group.entity';

/** An agent (WhosOn "user") who logs in to the console and takes chats. */
@Entity({ name: 'operators' })
@Index('uq_operators_username', ['username'], { unique: true })
export class OperatorEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  username!: string;

  @Column({ type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email!: string | null;

  /** `scrypt$N$r$p$salt$hash`, see `hashPassword`; empty for directory users (LDAP, OIDC), who have no local password. */
  @Column({ type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16, default: 'agent' })
  role!: OperatorRole;

  /** Where the password is checked: `local`, `ldap` or `oidc`. */
  @Column({ type: 'varchar', length: 8, default: 'local' })
  authSource!: AuthSource;

  /** A disabled operator cannot log in; disabling revokes their sessions. */
  @Column({ type: 'boolean', width: 1, default: false })
  disabled!: boolean;

  @Column({ type: 'integer', default: 0 })
  status!: OperatorStatus;

  /** Parallel chats allowed; 0 (the default, as in the seed product) means the operator gets none. */
  @Column({ type: 'integer', default: 0 })
  maxChats!: number;

  /** Chats currently assigned; only ever changed by conditional updates in ChatRepository. */
  @Column({ type: 'integer', default: 0 })
  openChats!: number;

  /** Base64 image, as WhosOn's `userphoto.json`; TEXT caps it at 64 KB, enough for a thumbnail. */
  @Column({ type: 'text', nullable: true })
  photo!: string | null;

  @Column({ ...idColumn, nullable: true })
  userGroupId!: number | null;

  @ManyToOne(() => UserGroupEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_group_id' })
  userGroup?: UserGroupEntity;

  @Column({ ...timestampColumn, nullable: true })
  statusChangedAt!: Date | null;

  @Column(timestampColumn)
  createdAt!: Date;
}
