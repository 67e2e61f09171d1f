/** Operator presence as WhosOn's `status`: 0 offline, 1 online (takes chats), 2 busy, 3 away. */
export const AgentStatus = { offline: 0, online: 1, busy: 2, away: 3 } as const;
export type AgentStatus = (typeof AgentStatus)[keyof typeof AgentStatus];

/** What routing needs to know about one agent, read from the operators table and live counters. */
export interface AgentSnapshot {
  readonly id: number;
  readonly username: string;
  readonly status: AgentStatus;
  /** Max concurrent chats; 0 (the seed's default) means the agent gets no chat. */
  readonly maxChats: number;
  readonly openChats: number;
  readonly skills: readonly string[];
  /** When the agent last got or finished a chat, or came online; null = never, the longest idle. */
  readonly idleSince: Date | null;
}

/** An agent who declined a chat's offer, or let it expire, and when. */
export interface Decline {
  readonly agentId: number;
  readonly at: Date;
}

/** Where a chat came from. */
export type RoutingChannel = 'web' | 'whatsapp';

/** A new chat as the routing rules see it. */
export interface ChatRequest {
  readonly chatId: number;
  readonly siteId: number;
  readonly channel: RoutingChannel;
  /** The skill the widget asked for, or null for any agent. */
  readonly skill: string | null;
  readonly pageUrl: string | null;
  readonly language: string | null;
  /** Pre-chat form values by field name. */
  readonly variables: Readonly<Record<string, string>>;
}

/** A chat waiting in a skill's queue. Higher `priority` is served first; FIFO within a priority. */
export interface QueueEntry {
  readonly chatId: number;
  readonly skill: string | null;
  readonly priority: number;
  readonly queuedAt: Date;
}

/** A site's opening-hours settings. */
export interface SiteHours {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Shown to the visitor outside opening hours. */
  readonly offlineMessage: string | null;
}

/**
 * One opening-hours slot in the site's time zone. `endMinute` is exclusive (1440 = midnight);
 * a slot whose end is before its start crosses midnight into the next day.
 */
export interface WorkPeriod {
  /** 0 = Sunday … 6 = Saturday. */
  readonly dayOfWeek: number;
  readonly startMinute: number;
  readonly endMinute: number;
}

/** The routing parameters (`ACD.Chat.*`) as plain values. */
export interface RoutingSettings {
  /** `ACD.Chat.Distribution.Mode` @default 'auto' */
  readonly distributionMode: 'auto' | 'all' | 'manual';
  /** `ACD.Chat.AutoPickup.AcceptTimeout.Seconds` @default 20 */
  readonly acceptTimeoutSeconds: number;
  /** `ACD.Chat.AutoPickup.MaxRetries` @default 3 */
  readonly maxRetries: number;
  /**
   * `ACD.Chat.AutoPickup.Decline.Cooldown.Seconds`: an agent who declined a chat or let its offer
   * expire is not offered that chat again for this long, even when nobody else can take it. @default 120
   */
  readonly declineCooldownSeconds: number;
  /** `ACD.Chat.Queue.MaxLength`; 0 disables queueing. @default 50 */
  readonly queueMaxLength: number;
  /** `ACD.Chat.Queue.MaxExpectedWait.Seconds`; 0 disables the check. @default 600 */
  readonly queueMaxExpectedWaitSeconds: number;
  /** `ACD.Chat.Queue.MaxTime.Seconds` @default 900 */
  readonly queueMaxTimeSeconds: number;
  /** `ACD.Chat.Queue.ExpectedMaxTime.Seconds`; 0 disables the expiry. @default 0 */
  readonly queueExpectedMaxTimeSeconds: number;
  /** `ACD.Chat.Inactivity.Timeout.Minutes` @default 15 */
  readonly inactivityTimeoutMinutes: number;
  /** `ACD.Chat.Visitor.ClientTimeout.Seconds` @default 120 */
  readonly visitorClientTimeoutSeconds: number;
  /** `ACD.Chat.Visitor.DisconnectNotice.Seconds`; 0 tells the agent nothing before VT. @default 10 */
  readonly visitorDisconnectNoticeSeconds: number;
}

/** The registry defaults of the routing parameters. */
export const defaultRoutingSettings: RoutingSettings = {
  distributionMode: 'auto',
  acceptTimeoutSeconds: 20,
  maxRetries: 3,
  declineCooldownSeconds: 120,
  queueMaxLength: 50,
  queueMaxExpectedWaitSeconds: 600,
  queueMaxTimeSeconds: 900,
  queueExpectedMaxTimeSeconds: 0,
  inactivityTimeoutMinutes: 15,
  visitorClientTimeoutSeconds: 120,
  visitorDisconnectNoticeSeconds: 10,
};
