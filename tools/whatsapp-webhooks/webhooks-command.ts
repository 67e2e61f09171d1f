import { PARAMETERS } from '@switchboard/config';
import type { Repositories } from '@switchboard/persistence';
import { webhookConfiguration, type ApplicationPatch } from '@switchboard/protocol';
import { TyntecClient, WEBHOOK_SECRET_NAME } from '@switchboard/whatsapp';
import { parseArgs } from 'node:util';

export const USAGE = `Configures TynTec's webhooks for this installation (what the seed does by hand with Postman).

Usage: npm run whatsapp:webhooks -- <show|configure> [options]

  show        GET applications/default: the webhooks TynTec has now
  configure   PATCH applications/default with the two webhook groups:
                MoMessage                                   -> <base URL>/incoming?secret=…
                MessageStatus::* and WhatsAppGroupEvent::*  -> <base URL>/delivery?secret=…

Options (each defaults to what the installation has; a flag wins):
  --base-url <url>     public https address TynTec calls (the load balancer)
                       default: parameter ACD.Whatsapp.Whatsapp.Url
  --tyntec-url <url>   TynTec messages endpoint; default: parameter ACD.Whatsapp.Tyntec.Url
  --api-key <key>      TynTec API key; default: the key of the chat connector of --connector
  --connector <number> the chat connector whose API key to use; default: the only one configured.
                       Given, the /incoming callback names it (&connector=<number>): a message
                       without "to" goes to that connector
  --secret <secret>    webhook secret; default: SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET, else the one the
                       connector generated and keeps in the database
  --allow-http         accept an http base URL (only the local fake TynTec takes it)
  --show-secret        print the secret in the callback URLs (hidden otherwise)
  --dry-run            print the PATCH body and send nothing
  --help               this text

The database is the one of SWITCHBOARD_DATABASE_URL (default: the embedded SQLite file under DATADIR).
Exit codes: 0 done, 1 TynTec or the database refused, 2 wrong usage.
`;

export interface WebhooksCommand {
  readonly action: 'show' | 'configure';
  readonly baseUrl?: string;
  readonly tyntecUrl?: string;
  readonly apiKey?: string;
  readonly connector?: string;
  readonly secret?: string;
  readonly allowHttp: boolean;
  readonly showSecret: boolean;
  readonly dryRun: boolean;
}

export class UsageError extends Error {}

/** Reads the command line; `help` when --help was asked for. Throws a UsageError naming what is wrong. */
export function parseWebhooksCommand(argv: readonly string[]): WebhooksCommand | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      'base-url': { type: 'string' },
      'tyntec-url': { type: 'string' },
      'api-key': { type: 'string' },
      connector: { type: 'string' },
      secret: { type: 'string' },
      'allow-http': { type: 'boolean', default: false },
      'show-secret': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const [action, ...extra] = positionals;
  if (action !== 'show' && action !== 'configure')
    throw new UsageError('say what to do: show or configure (see --help)');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  return {
    action,
    baseUrl: values['base-url'],
    tyntecUrl: values['tyntec-url'],
    apiKey: values['api-key'],
    connector: values.connector,
    secret: values.secret,
    allowHttp: values['allow-http'],
    showSecret: values['show-secret'],
    dryRun: values['dry-run'],
  };
}

/** The PATCH body for `configure`; throws naming the flag when the base URL will not do. */
export function webhooksPatch(
  baseUrl: string,
  secret: string,
  allowHttp: boolean,
  connector?: string,
): ApplicationPatch {
  try {
    return webhookConfiguration(baseUrl, secret, { allowHttp, connector });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (set --base-url, or --allow-http for the local fake)`);
  }
}

/** The text to print: the secret in callback URLs replaced unless asked to show it. */
export function printable(value: unknown, secret: string, showSecret: boolean): string {
  const text = JSON.stringify(value, null, 2);
  return showSecret || secret === '' ? text : text.split(encodeURIComponent(secret)).join('<secret>');
}

/**
 * Runs `show` or `configure` against TynTec with what the installation has (flags win), writing what
 * it did to `write`. `environment` is where SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET and ACD_* overrides come from.
 */
export async function runWebhooksCommand(
  command: WebhooksCommand,
  repositories: Repositories,
  environment: Readonly<Record<string, string | undefined>>,
  write: (text: string) => void,
): Promise<number> {
  const parameter = async (name: 'ACD.Whatsapp.Whatsapp.Url' | 'ACD.Whatsapp.Tyntec.Url') =>
    environment[name.replace(/\./g, '_').toUpperCase()] ??
    (await repositories.parameters.get(name))?.value ??
    PARAMETERS[name].defaultValue;
  const tyntec = new TyntecClient({ messagesUrl: () => tyntecUrl });
  const tyntecUrl = command.tyntecUrl ?? (await parameter('ACD.Whatsapp.Tyntec.Url'));
  const apiKey = command.apiKey ?? (await connectorApiKey(repositories, command.connector));
  const secret =
    command.secret ??
    environment.SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET ??
    (await repositories.secrets.find(WEBHOOK_SECRET_NAME)) ??
    '';
  if (command.action === 'show') {
    write(`${printable(await tyntec.application(apiKey), secret, command.showSecret)}\n`);
    return 0;
  }
  if (secret === '')
    throw new UsageError(
      'no webhook secret: set --secret, SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET, or start the connector once to generate one',
    );
  const patch = webhooksPatch(
    command.baseUrl ?? (await parameter('ACD.Whatsapp.Whatsapp.Url')),
    secret,
    command.allowHttp,
    command.connector,
  );
  if (command.dryRun) {
    write(
      `PATCH ${tyntecUrl.replace(/\/messages\/?$/, '')}/applications/default (dry run: not sent)\n${printable(patch, secret, command.showSecret)}\n`,
    );
    return 0;
  }
  await tyntec.application(apiKey, patch);
  write(
    `TynTec's webhooks now:\n${printable(await tyntec.application(apiKey), secret, command.showSecret)}\n`,
  );
  return 0;
}

async function connectorApiKey(repositories: Repositories, number: string | undefined): Promise<string> {
  const connectors = await repositories.chatConnectors.list();
  const connector =
    number === undefined
      ? connectors
      : connectors.filter((candidate) => candidate.phoneNumber === number.replace(/^\+/, ''));
  if (connector.length !== 1) {
    throw new UsageError(
      number === undefined
        ? `${connectors.length} chat connectors are configured: name one with --connector <number>, or give --api-key`
        : `no chat connector has the number ${number}`,
    );
  }
  const apiKey = await repositories.chatConnectors.revealApiKey(connector[0].id);
  if (apiKey === null) throw new UsageError(`chat connector ${number ?? ''} disappeared`);
  return apiKey;
}
