import type { StreamReadOptions } from '../ports/event-stream.port';

/** Hazelcast's `readMany` refuses larger batches, so every adapter shares the limit. */
export const MAX_READ_COUNT = 1000;

export function resolveReadOptions(options: StreamReadOptions = {}): Required<StreamReadOptions> {
  const { maxCount = 100, waitMs = 0 } = options;
  if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > MAX_READ_COUNT) {
    throw new RangeError(`maxCount must be an integer from 1 to ${MAX_READ_COUNT}, got ${maxCount}`);
  }
  if (waitMs < 0) {
    throw new RangeError(`waitMs must not be negative, got ${waitMs}`);
  }
  return { maxCount, waitMs };
}
