import type { ColumnOptions } from 'typeorm';

// Shared by entities so every table spells its portable types the same way; the migrations
// repeat them literally (a migration is a frozen snapshot), and the staleness test keeps both in step.

/** Millisecond timestamps: DATETIME(3) on MariaDB; SQLite keeps the declared type and stores ISO text. */
export const timestampColumn = { type: 'datetime', precision: 3 } as const satisfies ColumnOptions;

/** Internal surrogate keys and the foreign keys that point at them. */
export const idColumn = { type: 'integer' } as const satisfies ColumnOptions;
