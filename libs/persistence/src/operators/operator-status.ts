/** Operator presence as WhosOn's `status=0|1|2|3`: offline, online (taking chats), busy, away. */
export const OperatorStatus = { offline: 0, online: 1, busy: 2, away: 3 } as const;
export type OperatorStatus = (typeof OperatorStatus)[keyof typeof OperatorStatus];

/** True for the four WhosOn status codes. */
export function isOperatorStatus(value: number): value is OperatorStatus {
  return Number.isInteger(value) && value >= OperatorStatus.offline && value <= OperatorStatus.away;
}
