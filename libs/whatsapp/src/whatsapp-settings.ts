import {
  integerVariable,
  onOffVariable,
  parseEnvironment,
  refuse,
  variable,
  type Environment,
} from '@switchboard/config';
import { z } from 'zod';

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
  /** How long one call to TynTec may take; a send unanswered by then is ambiguous. @default 5000 */
  readonly tyntecTimeoutMs: number;
}

const MIN_SECRET_LENGTH = 16;

const milliseconds = (fallback: number) =>
  integerVariable(
    { min: 50, max: 3_600_000, described: 'an integer number of milliseconds, 50 to 3600000' },
    fallback,
  );

/** The connector's variables (SWITCHBOARD_WHATSAPP_*). */
const whatsappEnvironmentSchema = z.object({
  // No `got`: the value is a secret.
  SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: variable<string | undefined>(
    (raw) =>
      raw.length >= MIN_SECRET_LENGTH
        ? raw
        : refuse(`must have at least ${MIN_SECRET_LENGTH} characters (or be unset to generate one)`),
    undefined,
  ),
  SWITCHBOARD_WHATSAPP_SWEEP_MS: milliseconds(5000),
  SWITCHBOARD_WHATSAPP_LEASE_MS: milliseconds(30_000),
  SWITCHBOARD_WHATSAPP_AUTO_RESPONSES: onOffVariable(true),
  SWITCHBOARD_WHATSAPP_TYNTEC_TIMEOUT_MS: milliseconds(5000),
});

/** Reads SWITCHBOARD_WHATSAPP_* from the environment; every bad variable is reported at once, by name. */
export function loadWhatsappSettings(environment: Environment): WhatsappSettings {
  const values = parseEnvironment(whatsappEnvironmentSchema, environment);
  return {
    webhookSecret: values.SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET,
    sweepIntervalMs: values.SWITCHBOARD_WHATSAPP_SWEEP_MS,
    leaseMs: values.SWITCHBOARD_WHATSAPP_LEASE_MS,
    autoResponses: values.SWITCHBOARD_WHATSAPP_AUTO_RESPONSES,
    tyntecTimeoutMs: values.SWITCHBOARD_WHATSAPP_TYNTEC_TIMEOUT_MS,
  };
}
