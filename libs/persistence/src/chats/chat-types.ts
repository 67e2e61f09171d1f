// Value sets stored in VARCHAR columns (no ENUM: it is not portable to SQLite); repositories validate them.

/** Where a chat came from. */
export const chatChannels = ['web', 'whatsapp'] as const;
export type ChatChannel = (typeof chatChannels)[number];

/** A chat's life: waiting → queued → offered → active → closed, or missed when nobody took it. */
export const chatStates = ['waiting', 'queued', 'offered', 'active', 'closed', 'missed'] as const;
export type ChatState = (typeof chatStates)[number];

/** States in which a chat still counts as the visitor's open chat. */
export const openChatStates: readonly ChatState[] = ['waiting', 'queued', 'offered', 'active'];

/** States from which an operator may pick the chat up. */
export const assignableChatStates: readonly ChatState[] = ['waiting', 'queued', 'offered'];

/** Who wrote a chat line. */
export const lineSenderKinds = ['visitor', 'operator', 'system'] as const;
export type LineSenderKind = (typeof lineSenderKinds)[number];

/**
 * The longest visitor name (and name on a line) kept, in characters: a WhatsApp profile name may be
 * 256 (the protocol's `moWhatsappSchema`), a web visitor's 100.
 */
export const MAX_NAME_LENGTH = 256;
