/** One handled chat: when an agent took it and when it closed. */
export interface HandledChat {
  readonly assignedAt: Date;
  readonly closedAt: Date;
}

/**
 * The mean handling time in seconds (assigned → closed) of a skill's recent chats, the basis of its
 * queue's expected wait. Chats closed in the same instant they were taken (clock skew, data repairs)
 * say nothing about handling and are left out; with no usable history the result is
 * `fallbackSeconds` (the `ACD.Chat.Queue.HandlingTime.Default.Seconds` parameter).
 */
export function averageHandlingSeconds(history: readonly HandledChat[], fallbackSeconds: number): number {
  const durations = history
    .map((chat) => (chat.closedAt.getTime() - chat.assignedAt.getTime()) / 1000)
    .filter((seconds) => seconds > 0);
  if (durations.length === 0) return fallbackSeconds;
  return durations.reduce((sum, seconds) => sum + seconds, 0) / durations.length;
}
