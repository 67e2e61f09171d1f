/** The connector's own settings, read from the environment once at start. */
export interface WhatsappSettings {
  /**
   * The webhook secret TynTec must present (`?secret=` or the last path segment of the callback URL).
   * Unset: a random secret is generated once for the whole cluster and kept in the database
   * (`npm run whatsapp:webhooks -- --show-secret` prints it).
   */
  readonly webhookSecret: string | undefined;
  /** How often every connector looks for webhooks and replies left unprocessed (crash, missed event). @default 5000 */
  readonly sweepIntervalMs: number;
  /** How long a node holds a claimed webhook or reply before another may take it over. @default 30000 */
  readonly leaseMs: number;
  /** Send the automatic answers (greeting, chat ended) in the connector's language. @default true */
  readonly autoResponses: boolean;
}

export class WhatsappSettingsError extends Error {}

const MIN_SECRET_LENGTH = 16;

/** Reads SWITCHBOARD_WHATSAPP_* from the environment; throws naming the variable that is wrong. */
export function loadWhatsappSettings(
  environment: Readonly<Record<string, string | undefined>>,
): WhatsappSettings {
  const webhookSecret = environment.SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET;
  if (webhookSecret !== undefined && webhookSecret.length < MIN_SECRET_LENGTH) {
    throw new WhatsappSettingsError(
      `SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET must have at least ${MIN_SECRET_LENGTH} characters (or be unset to generate one)`,
    );
  }
  return {
    webhookSecret,
    sweepIntervalMs: milliseconds(environment, 'SWITCHBOARD_WHATSAPP_SWEEP_MS', 5000),
    leaseMs: milliseconds(environment, 'SWITCHBOARD_WHATSAPP_LEASE_MS', 30_000),
    autoResponses: onOff(environment, 'SWITCHBOARD_WHATSAPP_AUTO_RESPONSES', true),
  };
}

function milliseconds(
  environment: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number {
  const raw = environment[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 50 || value > 3_600_000) {
    throw new WhatsappSettingsError(
      `${name} must be an integer number of milliseconds, 50 to 3600000 (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}

function onOff(
  environment: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: boolean,
): boolean {
  const raw = environment[name];
  if (raw === undefined) return fallback;
  if (raw === 'on' || raw === 'off') return raw === 'on';
  throw new WhatsappSettingsError(`${name} must be on or off (got ${JSON.stringify(raw)})`);
}
