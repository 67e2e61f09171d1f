import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn } from '../database/column-types';
import { encryptedColumns, encryptedTransformer } from '../encryption/encrypted-columns';
import { ChatEntity } from './chat.entity';

/** A named value attached to a chat (pre-chat form fields, CRM ids …), one per name. */
@Entity({ name: 'chat_variables' })
@Index('uq_chat_variables_chat_name', ['chatId', 'name'], { unique: true })
export class ChatVariableEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  chatId!: number;

  @ManyToOne(() => ChatEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chat_id' })
  chat?: ChatEntity;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Encrypted (deterministic), so routing rules and look-ups still compare values. */
  @Column({ type: 'text', transformer: encryptedTransformer(encryptedColumns.chatVariableValue) })
  value!: string;
}
