import type { ParameterDefinition, ParameterRule } from './parameter-types';

function define<TValue extends number | boolean | string>(
  name: string,
  rule: ParameterRule,
  defaultValue: TValue,
  description: string,
  options: { secret?: boolean } = {},
): ParameterDefinition & { readonly defaultValue: TValue } {
  return { name, rule, defaultValue, description, ...options };
}

const integer = (min: number, max: number): ParameterRule => ({ kind: 'integer', min, max });
const boolean: ParameterRule = { kind: 'boolean' };
const httpUrl: ParameterRule = { kind: 'url', protocols: ['http:', 'https:'] };
const socketUrl: ParameterRule = { kind: 'url', protocols: ['ws:', 'wss:', 'http:', 'https:'] };
const text = (maxLength: number, pattern: RegExp, says: string): ParameterRule => ({
  kind: 'text',
  maxLength,
  format: { pattern, says },
});
// A distinguished name (RFC 4514) in outline: attribute=value pairs separated by commas; empty allowed.
const distinguishedName = text(
  1024,
  /^$|^[A-Za-z][\w.-]*=[^=]/,
  'empty or a distinguished name (cn=...,dc=...)',
);

/**
 * Every tunable of Switchboard, with its default, rule and meaning. Names follow the seed's
 * `ACD.Chat.*` / `ACD.Whatsapp.*` parameters; the routing tunables are Switchboard's own.
 * docs/parameters.md is generated from this list (`npm run docs:parameters`).
 */
export const PARAMETERS = {
  'ACD.Chat.Script.Library.URL': define(
    'ACD.Chat.Script.Library.URL',
    httpUrl,
    'http://localhost:3000/gui/',
    'Where browsers load the chat script library (widget and agent console); the load balancer serves it under /gui/.',
  ),
  'ACD.Chat.Server.Base.URL': define(
    'ACD.Chat.Server.Base.URL',
    socketUrl,
    'ws://localhost:3000',
    'The ws:// or wss:// address of the chat endpoint (HAProxy 3000 for ws, 3003 for wss) that clients connect to.',
  ),
  'ACD.Whatsapp.Server.Base.URL': define(
    'ACD.Whatsapp.Server.Base.URL',
    httpUrl,
    'http://localhost:3000',
    'The address agent workstations use to reach the WhatsApp connector (through HAProxy) to answer messages.',
  ),
  'ACD.Whatsapp.Whatsapp.Url': define(
    'ACD.Whatsapp.Whatsapp.Url',
    httpUrl,
    'http://localhost:3000',
    'The public address WhatsApp users download attachments from; must resolve from the Internet.',
  ),
  'ACD.Whatsapp.Tyntec.Url': define(
    'ACD.Whatsapp.Tyntec.Url',
    httpUrl,
    'https://api.tyntec.com/chat-api/v2/messages',
    'The TynTec Conversations API messages endpoint; point it at the local fake for tests and demos.',
  ),
  'ACD.Whatsapp.CustomerWindow.Hours': define(
    'ACD.Whatsapp.CustomerWindow.Hours',
    integer(1, 168),
    24,
    "WhatsApp's customer care window: free-form replies are refused this long after the customer's last message.",
  ),
  'ACD.Chat.WhatsApp.DeliveryConfirmation.Seconds': define(
    'ACD.Chat.WhatsApp.DeliveryConfirmation.Seconds',
    integer(1, 86_400),
    600,
    "How long a WhatsApp line whose send was ambiguous (TynTec may have accepted it, its answer was lost) waits for TynTec's status webhook; then the agent sees it unconfirmed. It is never resent automatically.",
  ),
  'ACD.Chat.Agent.DefaultMaxChats': define(
    'ACD.Chat.Agent.DefaultMaxChats',
    integer(0, 100),
    0,
    'Max concurrent chats given to a new agent created without one (POST /api/users). 0, as in the seed, means the agent gets no chat until an admin raises it.',
  ),
  'ACD.Chat.Distribution.Mode': define(
    'ACD.Chat.Distribution.Mode',
    { kind: 'enum', values: ['auto', 'all', 'manual'] },
    'auto',
    'auto: offer each chat to the best agent (least busy, then longest idle); all: offer to every eligible agent; manual: agents pick from the queue.',
  ),
  'ACD.Chat.AutoPickup.AcceptTimeout.Seconds': define(
    'ACD.Chat.AutoPickup.AcceptTimeout.Seconds',
    integer(3, 600),
    20,
    'How long an agent has to accept an auto pickup request before it is retried with the next agent (ACR).',
  ),
  'ACD.Chat.AutoPickup.MaxRetries': define(
    'ACD.Chat.AutoPickup.MaxRetries',
    integer(0, 50),
    3,
    'How many further agents an unanswered auto pickup request is retried with before the chat goes back to the queue.',
  ),
  'ACD.Chat.AutoPickup.Decline.Cooldown.Seconds': define(
    'ACD.Chat.AutoPickup.Decline.Cooldown.Seconds',
    integer(0, 86400),
    120,
    'An agent who declined a chat or let its offer expire is not offered that chat again for this long, even when nobody else can take it (it waits in the queue, keeping its place). After it, they are offered it again only when nobody else can take it. 0: at once when nobody else can.',
  ),
  'ACD.Chat.Queue.MaxLength': define(
    'ACD.Chat.Queue.MaxLength',
    integer(0, 100000),
    50,
    'Chats waiting per skill beyond which new chats are refused (CQM). 0 disables queueing.',
  ),
  'ACD.Chat.Queue.MaxExpectedWait.Seconds': define(
    'ACD.Chat.Queue.MaxExpectedWait.Seconds',
    integer(0, 86400),
    600,
    'A new chat whose expected wait exceeds this is refused (CQT). 0 disables the check.',
  ),
  'ACD.Chat.Queue.HandlingTime.Sample': define(
    'ACD.Chat.Queue.HandlingTime.Sample',
    integer(1, 1000),
    50,
    "How many of a skill's most recently closed chats the expected wait's mean handling time (assigned → closed) is measured over.",
  ),
  'ACD.Chat.Queue.HandlingTime.Default.Seconds': define(
    'ACD.Chat.Queue.HandlingTime.Default.Seconds',
    integer(1, 86400),
    180,
    'The handling time per chat assumed for the expected wait of a skill that has no closed chats yet.',
  ),
  'ACD.Chat.Queue.MaxTime.Seconds': define(
    'ACD.Chat.Queue.MaxTime.Seconds',
    integer(10, 86400),
    900,
    'A chat waiting longer than this in the queue expires (QTO).',
  ),
  'ACD.Chat.Queue.ExpectedMaxTime.Seconds': define(
    'ACD.Chat.Queue.ExpectedMaxTime.Seconds',
    integer(0, 86400),
    0,
    'The expected maximum time in the queue: a chat that has waited longer expires with SK "exceeded the maximum expected time" (below Queue.MaxTime.Seconds, the hard limit with QTO). 0 disables it.',
  ),
  'ACD.Chat.Queue.PositionUpdate.Seconds': define(
    'ACD.Chat.Queue.PositionUpdate.Seconds',
    integer(1, 600),
    10,
    'How often a queued visitor is told their position and expected wait (QM), besides every queue move.',
  ),
  'ACD.Chat.Inactivity.Timeout.Minutes': define(
    'ACD.Chat.Inactivity.Timeout.Minutes',
    integer(1, 1440),
    15,
    'A chat with no activity from either side for this long is closed by the server (ST).',
  ),
  'ACD.Chat.Visitor.ClientTimeout.Seconds': define(
    'ACD.Chat.Visitor.ClientTimeout.Seconds',
    integer(5, 3600),
    120,
    'A visitor whose browser stays disconnected this long is timed out (VT) and the chat closed.',
  ),
  'ACD.Chat.Agent.DisconnectGrace.Seconds': define(
    'ACD.Chat.Agent.DisconnectGrace.Seconds',
    integer(5, 3600),
    60,
    'An agent all of whose console connections stay gone this long (closed tab, lost network) is set Offline (reason disconnected); their offers move on, the chats they hold stay theirs.',
  ),
  'ACD.Chat.Agent.IdleAway.Minutes': define(
    'ACD.Chat.Agent.IdleAway.Minutes',
    integer(0, 1440),
    0,
    'An agent in status Chat who holds no chat and does nothing in the console this long is set Away (reason idle); 0 turns this off.',
  ),
  'ACD.Chat.WhatsApp.Reopen.Window.Minutes': define(
    'ACD.Chat.WhatsApp.Reopen.Window.Minutes',
    integer(0, 10080),
    0,
    'A WhatsApp customer writing again within this many minutes of their chat ending reopens that chat (UC: same chat, routed again) instead of opening a new one; not after a block (BX) or a text rule (TR). 0 always opens a new chat.',
  ),
  'ACD.Chat.Visitor.DisconnectNotice.Seconds': define(
    'ACD.Chat.Visitor.DisconnectNotice.Seconds',
    integer(0, 3600),
    10,
    "Once the visitor of an active chat has been disconnected this long, the agent reads an automatic line that the visitor's browser disconnected (RMS), once per disconnect. 0, or a value not below Visitor.ClientTimeout.Seconds, turns it off.",
  ),
  'ACD.Chat.Line.MaxLength': define(
    'ACD.Chat.Line.MaxLength',
    integer(1, 65535),
    4096,
    'Longest chat line accepted, in characters; longer lines are refused with an error to the sender.',
  ),
  'ACD.Chat.RateLimit.Send.Per10Seconds': define(
    'ACD.Chat.RateLimit.Send.Per10Seconds',
    integer(1, 10000),
    50,
    'Lines (chat:send) one connection may send per 10 seconds; beyond it the request is refused with RATE_LIMITED and nothing is stored.',
  ),
  'ACD.Chat.RateLimit.Typing.Per10Seconds': define(
    'ACD.Chat.RateLimit.Typing.Per10Seconds',
    integer(1, 10000),
    100,
    'Typing notices (chat:typing) one connection may send per 10 seconds; beyond it RATE_LIMITED.',
  ),
  'ACD.Chat.RateLimit.Start.PerMinute': define(
    'ACD.Chat.RateLimit.Start.PerMinute',
    integer(1, 100000),
    600,
    'Chats (chat:start) one client address may start per minute on each node; beyond it RATE_LIMITED and no chat is opened.',
  ),
  'ACD.Chat.RateLimit.Login.FailuresPerUser.Per15Minutes': define(
    'ACD.Chat.RateLimit.Login.FailuresPerUser.Per15Minutes',
    integer(1, 1000),
    5,
    'Failed log-ins (wrong password or unknown user) allowed per username in a 15-minute window on each node; beyond it every log-in of that username is refused with RATE_LIMITED until the window ends. A successful log-in clears the count.',
  ),
  'ACD.Chat.RateLimit.Login.FailuresPerAddress.Per15Minutes': define(
    'ACD.Chat.RateLimit.Login.FailuresPerAddress.Per15Minutes',
    integer(1, 100000),
    20,
    'Failed log-ins and refreshes allowed per client address in a 15-minute window on each node; beyond it every log-in from that address is refused with RATE_LIMITED until the window ends.',
  ),
  'ACD.Chat.RateLimit.Admin.Requests.PerMinute': define(
    'ACD.Chat.RateLimit.Admin.Requests.PerMinute',
    integer(1, 1000000),
    600,
    'Requests one client address may make to the admin interface (port 8899) per minute; beyond it 429 with Retry-After. /health, /health/ready and /metrics are not counted.',
  ),
  'ACD.Chat.RateLimit.Admin.AuthFailures.Per15Minutes': define(
    'ACD.Chat.RateLimit.Admin.AuthFailures.Per15Minutes',
    integer(1, 100000),
    10,
    'Refused requests (host not whitelisted, wrong or missing a=, bad session token) one client address may make to the admin interface in a 15-minute window; beyond it every request from that address gets 429 with Retry-After until the window ends.',
  ),
  'ACD.Chat.Typing.Coalesce.Milliseconds': define(
    'ACD.Chat.Typing.Coalesce.Milliseconds',
    integer(0, 10000),
    1000,
    'At most one typing notice per chat and side is published to the cluster per this many milliseconds (the latest state is sent at the end of the window). 0 publishes every notice.',
  ),
  'ACD.Chat.Transcript.Retention.Days': define(
    'ACD.Chat.Transcript.Retention.Days',
    integer(0, 36500),
    0,
    'Ended chats older than this are purged with their lines and events (hourly, in batches, by one routing node; each purge is audited as transcript.purge). 0 keeps them forever.',
  ),
  'ACD.Chat.Webhooks.Timeout.Seconds': define(
    'ACD.Chat.Webhooks.Timeout.Seconds',
    integer(1, 60),
    10,
    "How long an outbound webhook delivery waits for the endpoint's answer (connection and body) before the attempt counts as failed (docs/webhooks.md).",
  ),
  'ACD.Chat.Webhooks.Retry.Initial.Milliseconds': define(
    'ACD.Chat.Webhooks.Retry.Initial.Milliseconds',
    integer(100, 3_600_000),
    5000,
    'Pause after the first failed delivery of an outbound webhook event; doubled after each further failure (with jitter) up to Webhooks.Retry.Max.Seconds. Later events of the same chat wait behind it.',
  ),
  'ACD.Chat.Webhooks.Retry.Max.Seconds': define(
    'ACD.Chat.Webhooks.Retry.Max.Seconds',
    integer(1, 86_400),
    900,
    'Longest pause between two delivery attempts of an outbound webhook event.',
  ),
  'ACD.Chat.Webhooks.MaxAge.Minutes': define(
    'ACD.Chat.Webhooks.MaxAge.Minutes',
    integer(1, 43_200),
    1440,
    'An outbound webhook event still undelivered this long after it happened is given up (dead, listed by GET /api/sites/{sitekey}/webhooks/deliveries?state=dead) at its next failure.',
  ),
  'ACD.Chat.Webhooks.Poll.Milliseconds': define(
    'ACD.Chat.Webhooks.Poll.Milliseconds',
    integer(100, 60_000),
    1000,
    'How often each routing node looks for outbound webhook events due for delivery.',
  ),
  'ACD.Chat.Session.AccessToken.Minutes': define(
    'ACD.Chat.Session.AccessToken.Minutes',
    integer(1, 1440),
    15,
    "Lifetime of an agent's access token (reconnects, uploads, the management API); the console refreshes it before it ends.",
  ),
  'ACD.Chat.Session.Hours': define(
    'ACD.Chat.Session.Hours',
    integer(1, 720),
    12,
    'A session without "Remember me" ends when it has not been refreshed for this long (each refresh moves the end on).',
  ),
  'ACD.Chat.Session.RememberMe.Days': define(
    'ACD.Chat.Session.RememberMe.Days',
    integer(1, 365),
    30,
    'A "Remember me" session survives browser restarts and ends when it has not been refreshed for this long, or at log-out.',
  ),
  'ACD.Chat.Ldap.Enabled': define(
    'ACD.Chat.Ldap.Enabled',
    boolean,
    false,
    'Enable LDAP for User Logins: users whose authSource is ldap log in with their LDAP/Active Directory password (a bind as the user). Off: they cannot log in.',
  ),
  'ACD.Chat.Ldap.Domain': define(
    'ACD.Chat.Ldap.Domain',
    text(253, /^$|^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'empty or a DNS domain name (example.com)'),
    '',
    'The LDAP Domain name (e.g. example.com): an Active Directory user binds as username@domain, and the directory is ldap://domain when ACD.Chat.Ldap.Url is empty.',
  ),
  'ACD.Chat.Ldap.Url': define(
    'ACD.Chat.Ldap.Url',
    { kind: 'url', protocols: ['ldap:', 'ldaps:'], optional: true },
    '',
    'The directory server, ldap://host[:389] or ldaps://host[:636]; empty: ldap://<ACD.Chat.Ldap.Domain> (an AD domain name resolves to its domain controllers).',
  ),
  'ACD.Chat.Ldap.StartTls': define(
    'ACD.Chat.Ldap.StartTls',
    boolean,
    false,
    'Upgrade an ldap:// connection with StartTLS before any password is sent (use this or ldaps:// whenever the network is not trusted).',
  ),
  'ACD.Chat.Ldap.Tls.CaFile': define(
    'ACD.Chat.Ldap.Tls.CaFile',
    text(1024, /^$|^\/[^\0]*$/, 'empty or an absolute path'),
    '',
    "A PEM file with the CA certificate(s) that signed the directory's certificate (ldaps:// or StartTLS); empty: the system's CAs.",
  ),
  'ACD.Chat.Ldap.Tls.RejectUnauthorized': define(
    'ACD.Chat.Ldap.Tls.RejectUnauthorized',
    boolean,
    true,
    'Refuse a directory whose TLS certificate does not verify. Turn off only to diagnose: a password is then sent to whoever answers.',
  ),
  'ACD.Chat.Ldap.UserBind': define(
    'ACD.Chat.Ldap.UserBind',
    text(1024, /\{username\}/, 'containing {username}'),
    '{username}@{domain}',
    'Whom a log-in binds as: {username}@{domain} (AD userPrincipalName), DOMAIN\\{username} (AD down-level name) or a DN such as uid={username},ou=people,dc=example,dc=com (OpenLDAP; the username is DN-escaped).',
  ),
  'ACD.Chat.Ldap.SearchBase': define(
    'ACD.Chat.Ldap.SearchBase',
    distinguishedName,
    '',
    'Where users and groups are searched for the group-to-role mapping (e.g. dc=example,dc=com); empty: no group look-up, the role set in Switchboard stays.',
  ),
  'ACD.Chat.Ldap.UserFilter': define(
    'ACD.Chat.Ldap.UserFilter',
    text(1024, /^\(.*\{username\}.*\)$/, 'an LDAP filter in parentheses containing {username}'),
    '(|(sAMAccountName={username})(uid={username}))',
    "The filter that finds the user's entry under ACD.Chat.Ldap.SearchBase ({username} is filter-escaped).",
  ),
  'ACD.Chat.Ldap.BindDn': define(
    'ACD.Chat.Ldap.BindDn',
    text(
      1024,
      /^$|^[A-Za-z][\w.-]*=[^=]|^[A-Za-z0-9._-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/,
      'empty, a distinguished name or user@domain',
    ),
    '',
    'The account that searches groups (a DN, or user@domain for AD); empty: the search runs as the user who logs in.',
  ),
  'ACD.Chat.Ldap.BindPassword': define(
    'ACD.Chat.Ldap.BindPassword',
    { kind: 'text', maxLength: 256 },
    '',
    'The password of ACD.Chat.Ldap.BindDn. Write-only: shown as ***, never logged, stored encrypted.',
    { secret: true },
  ),
  'ACD.Chat.Ldap.GroupRoles': define(
    'ACD.Chat.Ldap.GroupRoles',
    { kind: 'mapping', keys: 'group DNs or CNs', values: ['agent', 'supervisor', 'administrator'] },
    '{}',
    'Directory groups that give a role at each log-in, e.g. {"cn=chat-supervisors,ou=groups,dc=example,dc=com":"supervisor","Chat Admins":"administrator"}; the highest matching role wins, agent when none matches. {}: roles are set in Switchboard only.',
  ),
  'ACD.Chat.Ldap.Timeout.Milliseconds': define(
    'ACD.Chat.Ldap.Timeout.Milliseconds',
    integer(500, 60_000),
    5000,
    'How long a log-in waits for the directory (connection, and each operation) before it answers that the directory is unreachable.',
  ),
  'ACD.Chat.Sso.AllowLoopbackHttp': define(
    'ACD.Chat.Sso.AllowLoopbackHttp',
    boolean,
    false,
    'Tests and demos only: single sign-on over plain http with a provider and a callback on 127.0.0.1/localhost. Production needs https (wss:// in ACD.Chat.Server.Base.URL).',
  ),
  'ACD.Chat.Log.Routing': define(
    'ACD.Chat.Log.Routing',
    boolean,
    false,
    'Log every routing decision (which agents were eligible and why one was chosen); verbose.',
  ),
} as const;

export type ParameterName = keyof typeof PARAMETERS;
/** The parsed type of a parameter: number, boolean or string. */
export type ParameterValueOf<TName extends ParameterName> =
  (typeof PARAMETERS)[TName]['defaultValue'] extends number
    ? number
    : (typeof PARAMETERS)[TName]['defaultValue'] extends boolean
      ? boolean
      : string;

export function isParameterName(name: string): name is ParameterName {
  return Object.prototype.hasOwnProperty.call(PARAMETERS, name);
}

/** Whether `name` is a registered secret parameter (write-only, never logged, stored encrypted). */
export function isSecretParameter(name: string): boolean {
  return isParameterName(name) && (PARAMETERS[name] as ParameterDefinition).secret === true;
}

/** The environment variable that overrides a parameter: dots become underscores, upper case. */
export function environmentVariableFor(name: ParameterName): string {
  return name.replace(/\./g, '_').toUpperCase();
}
