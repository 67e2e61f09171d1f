import { getMetadataArgsStorage } from 'typeorm';
import { sealedLength } from '../encryption/column-cipher';

/** MariaDB's `TEXT`: at most this many bytes. */
const TEXT_BYTES = 65_535;

/** How a column is declared, as the schema-width check needs it. */
export interface ColumnCapacity {
  /** The characters of plaintext the column holds (what a schema's `max` must not exceed). */
  readonly characters: number;
  /** True for `TEXT` (the limit is in bytes: `characters` assumes the widest UTF-8, 4 bytes a character). */
  readonly text: boolean;
  readonly encrypted: boolean;
}

/** The longest plaintext whose sealed form fits `width` characters. */
function plaintextFitting(width: number): number {
  let characters = Math.floor(width / 6);
  while (sealedLength(characters + 1) <= width) characters += 1;
  return characters;
}

/**
 * What the column of `entity.property` holds, read from its typeorm declaration: a varchar's length,
 * or MariaDB's `TEXT` limit; an encrypted column (it has a transformer) holds the plaintext whose
 * sealed form fits (docs/security.md "Widths"). `bytesPerCharacter` is the widest UTF-8 character
 * the value may contain (1 for ASCII formats such as base64).
 */
export function columnCapacity(
  entity: abstract new (...args: never[]) => unknown,
  property: string,
  bytesPerCharacter = 4,
): ColumnCapacity {
  const column = getMetadataArgsStorage().columns.find(
    (candidate) => candidate.target === entity && candidate.propertyName === property,
  );
  if (column === undefined) throw new Error(`${entity.name} has no column ${property}`);
  const encrypted = column.options.transformer !== undefined;
  const text = column.options.type === 'text';
  // A sealed value is ASCII (base64): its width in characters is its width in bytes.
  const width = text
    ? encrypted
      ? TEXT_BYTES
      : Math.floor(TEXT_BYTES / bytesPerCharacter)
    : Number(column.options.length);
  return { characters: encrypted ? plaintextFitting(width) : width, text, encrypted };
}
