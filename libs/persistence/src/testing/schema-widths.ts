import type { z } from 'zod';
import { columnCapacity } from '../database/column-capacity';

/** A validated string that is stored: the schema that bounds it, and the column that keeps it. */
export interface StoredField {
  readonly schema: z.ZodType;
  readonly entity: abstract new (...args: never[]) => unknown;
  readonly property: string;
  /** 1 for ASCII formats (base64, digits); 4 (any UTF-8) otherwise. */
  readonly bytesPerCharacter?: number;
}

/** The `max` of a string schema, through `optional`/`nullable`; an error when it has none. */
export function schemaMaxLength(schema: z.ZodType): number {
  let current: unknown = schema;
  while (typeof current === 'object' && current !== null && 'unwrap' in current)
    current = (current as { unwrap(): unknown }).unwrap();
  const max = (current as { maxLength?: number | null }).maxLength;
  if (typeof max !== 'number') throw new Error('the schema has no maximum length: give it one');
  return max;
}

/**
 * Registers one test per field: the longest value its schema lets through fits its column (the
 * width read from the entity, encryption's widening and `TEXT`'s byte limit included).
 */
export function describeStoredFieldWidths(fields: Readonly<Record<string, StoredField>>): void {
  it.each(Object.entries(fields))("%s: the schema's maximum fits the column", (_name, field) => {
    const capacity = columnCapacity(field.entity, field.property, field.bytesPerCharacter);
    expect(schemaMaxLength(field.schema)).toBeLessThanOrEqual(capacity.characters);
  });
}
