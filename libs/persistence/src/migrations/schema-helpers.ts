import type { TableColumnOptions, TableForeignKeyOptions } from 'typeorm';

// Column builders for migrations. They are part of every migration that uses them, so change
// none once released: add a new builder instead. Types are the portable ones of column-types.ts.

type Nullable = { nullable?: boolean };

export const idPrimary = (): TableColumnOptions => ({
  name: 'id',
  // SQLite only auto-increments a column declared exactly INTEGER; MariaDB reads it as INT.
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

export const intColumn = (
  name: string,
  options: Nullable & { default?: number } = {},
): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: options.nullable ?? false,
  default: options.default,
});

export const varcharColumn = (
  name: string,
  length: number,
  options: Nullable & { default?: string } = {},
): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: options.nullable ?? false,
  default: options.default === undefined ? undefined : `'${options.default}'`,
});

export const textColumn = (name: string, options: Nullable = {}): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: options.nullable ?? false,
});

export const booleanColumn = (name: string, defaultValue: boolean): TableColumnOptions => ({
  name,
  type: 'boolean',
  // Stored as 0/1 on both databases; a literal `false` would read back differently on SQLite.
  isNullable: false,
  default: defaultValue ? 1 : 0,
});

export const timestampColumn = (name: string, options: Nullable = {}): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: options.nullable ?? false,
});

export const reference = (
  column: string,
  referencedTableName: string,
  onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT',
): TableForeignKeyOptions => ({
  columnNames: [column],
  referencedTableName,
  referencedColumnNames: ['id'],
  onDelete,
  onUpdate: 'NO ACTION',
});
