/** Why a repository refused a request. */
export enum PersistenceErrorCode {
  /** A value broke a rule the columns cannot express (range, format, allowed set). */
  InvalidValue = 'invalid-value',
  /** The row the request names does not exist. */
  NotFound = 'not-found',
  /** A unique rule kept failing after retries. */
  Conflict = 'conflict',
  /** The row exists (or may not) but is not in a state that allows the change; nothing was written. */
  Refused = 'refused',
}

/** The one exception type of libs/persistence; callers map `code` to their own edge errors. */
export class PersistenceError extends Error {
  constructor(
    readonly code: PersistenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PersistenceError';
  }
}

/** Throws an InvalidValue error unless `condition` holds. */
export function ensureValid(condition: boolean, message: string): asserts condition {
  if (!condition) throw new PersistenceError(PersistenceErrorCode.InvalidValue, message);
}
