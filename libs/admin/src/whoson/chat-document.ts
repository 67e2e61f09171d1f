/** One chat as chat.json/xml/txt/htm show it: the whole transcript with its coded events. */
export interface ChatDocument {
  readonly chatUid: string;
  readonly siteKey: string;
  readonly siteName: string;
  readonly channel: string;
  readonly state: string;
  readonly visitor: {
    readonly key: string;
    readonly name: string | null;
    readonly email: string | null;
    readonly ip: string | null;
  };
  readonly operator: { readonly username: string; readonly displayName: string } | null;
  readonly skill: string | null;
  readonly priority: number;
  readonly createdAt: Date;
  readonly assignedAt: Date | null;
  readonly closedAt: Date | null;
  readonly closeReason: string | null;
  readonly lines: ReadonlyArray<{
    readonly sequence: number;
    readonly sender: string;
    readonly senderName: string;
    readonly text: string;
    readonly at: Date;
  }>;
  readonly events: ReadonlyArray<{ readonly code: string; readonly text: string; readonly at: Date }>;
  readonly variables: Readonly<Record<string, string>>;
}

/** The transcript as plain text: a header, then one line per message and event in time order. */
export function chatAsText(chat: ChatDocument): string {
  const header = [
    `Chat ${chat.chatUid} on site ${chat.siteKey} (${chat.siteName})`,
    `Channel: ${chat.channel}   State: ${chat.state}${chat.closeReason ? ` (${chat.closeReason})` : ''}`,
    `Visitor: ${chat.visitor.name ?? chat.visitor.key}${chat.visitor.email ? ` <${chat.visitor.email}>` : ''}`,
    `Operator: ${chat.operator ? `${chat.operator.displayName} (${chat.operator.username})` : '-'}`,
    `Started: ${chat.createdAt.toISOString()}${chat.closedAt ? `   Ended: ${chat.closedAt.toISOString()}` : ''}`,
    '',
  ];
  const entries = [
    ...chat.lines.map((line) => ({ at: line.at, text: `${line.senderName}: ${line.text}` })),
    ...chat.events.map((event) => ({ at: event.at, text: `[${event.code}] ${event.text}` })),
  ].sort((left, right) => left.at.getTime() - right.at.getTime());
  return `${[...header, ...entries.map((entry) => `${entry.at.toISOString()}  ${entry.text}`)].join('\n')}\n`;
}
