/** What TynTec hands back in each status of a line (`context.userContext`): `<chatUid>#<sequence>`. */
export function userContextOf(chatUid: string, sequence: number): string {
  return `${chatUid}#${sequence}`;
}

/** The chat and line a `userContext` names; null for one we did not write. */
export function lineOfUserContext(userContext: string): { chatUid: string; sequence: number } | null {
  const match = /^([^#]+)#([1-9]\d{0,9})$/.exec(userContext);
  return match ? { chatUid: match[1], sequence: Number(match[2]) } : null;
}
