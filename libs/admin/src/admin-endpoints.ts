/** One query parameter of an admin endpoint. */
export interface EndpointParameter {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
}

/** One route of the admin interface, as the OpenAPI document and docs/admin-api.md describe it. */
export interface AdminEndpoint {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly summary: string;
  readonly parameters: readonly EndpointParameter[];
  /** `whoson` for the seed's endpoints, `management` for Switchboard's JSON API. */
  readonly group: 'whoson' | 'management';
  /** Changes something (audited, and told to the cluster). */
  readonly changes?: boolean;
}

const sitekey: EndpointParameter = { name: 'sitekey', required: true, description: 'the site key' };
const username: EndpointParameter = { name: 'username', required: true, description: 'the user name' };
const id: EndpointParameter = { name: 'id', required: true, description: 'the numeric id' };
const chat: EndpointParameter[] = [sitekey, { name: 'chatuid', required: true, description: 'the chat UID' }];
const ip: EndpointParameter = { name: 'ip', required: true, description: 'an IPv4 or IPv6 address' };
const by: EndpointParameter = {
  name: 'by',
  required: false,
  description: 'who makes the change, for the audit trail (default admin)',
};

const whoson = (
  path: string,
  summary: string,
  parameters: EndpointParameter[] = [],
  changes = false,
): AdminEndpoint => ({
  method: 'GET',
  path,
  summary,
  parameters: changes ? [...parameters, by] : parameters,
  group: 'whoson',
  changes,
});

const api = (
  method: AdminEndpoint['method'],
  path: string,
  summary: string,
  parameters: EndpointParameter[] = [],
): AdminEndpoint => ({
  method,
  path: `/api/${path}`,
  summary,
  parameters: method === 'GET' ? parameters : [...parameters, by],
  group: 'management',
  changes: method !== 'GET',
});

/** Every route of the admin interface; each also needs `a={authstring}` from a whitelisted host. */
export const ADMIN_ENDPOINTS: readonly AdminEndpoint[] = [
  whoson('/', 'the server status page (same as index.htm)'),
  whoson(
    '/index.htm',
    'the server status page: server info, cluster members, monitored sites, blocked clients',
  ),
  whoson('/status.xml', 'the server status as XML'),
  whoson('/status.json', 'the server status as JSON'),
  ...['txt', 'xml', 'htm', 'json'].map((format) =>
    whoson(`/getgeoip.${format}`, `GeoIP data of an address as ${format}`, [ip]),
  ),
  whoson('/getlog.txt', "this process's log for the current run"),
  whoson('/chat.json', 'one chat with its transcript, events and variables as JSON', chat),
  whoson('/chat.htm', "one chat rendered with its site's chat template", chat),
  whoson('/chat.xml', 'one chat as XML', chat),
  whoson('/chat.txt', 'one chat as text', chat),
  whoson('/site.xml', "a site's settings and work periods as XML", [sitekey]),
  whoson('/site.json', "a site's settings and work periods as JSON", [sitekey]),
  whoson('/loadsite.htm', 'every process re-reads one site', [sitekey]),
  whoson('/loadallsites.htm', 'every process re-reads all sites'),
  whoson('/loaduser.htm', 'every process re-reads one user', [username]),
  whoson('/loadallusers.htm', 'every process re-reads all users'),
  whoson('/loadusergroups.htm', 'every process re-reads all user groups'),
  whoson('/loadworkperiods.htm', 'every process re-reads all work periods'),
  whoson('/loadskills.htm', 'every process re-reads all skills'),
  whoson('/loadsettings.htm', 'every process re-reads the server settings (parameters)'),
  whoson(
    '/deletesite.htm',
    'deletes a site with its ended chats (refused while it has open chats)',
    [sitekey],
    true,
  ),
  whoson('/deleteuser.htm', 'deletes a user (refused while they are in a chat)', [username], true),
  whoson('/deleteusergroup.htm', 'deletes a user group (its users keep no group)', [id], true),
  whoson('/deleteworkperiod.htm', 'deletes a work period', [id], true),
  whoson('/user.json', 'one user', [username]),
  whoson('/users.json', 'users, filtered', [
    { name: 'contains', required: false, description: 'text in the username, name or email' },
    { name: 'domain', required: false, description: "the users' email domain" },
    {
      name: 'status',
      required: false,
      description: 'all, connected, or 0 (offline) 1 (online) 2 (busy) 3 (away)',
    },
    { name: 'skills', required: false, description: 'comma-separated skills, all of which a user must hold' },
  ]),
  whoson('/userphoto.json', "a user's photo, base64", [username]),
  whoson('/cannedresponses.json', "a user's canned responses (their own and the shared ones)", [username]),
  whoson(
    '/pausesite.htm',
    'pauses a site: no new chats (visitors are told so); open chats go on',
    [sitekey],
    true,
  ),
  whoson('/resumesite.htm', 'resumes a paused site', [sitekey], true),
  whoson('/chattingvisitors.json', 'every open chat'),
  api('GET', 'openapi.json', 'this interface as an OpenAPI 3.1 document'),
  api(
    'GET',
    'parameters',
    'every ACD.Chat.* / ACD.Whatsapp.* parameter with its value, source, default and rule',
  ),
  api(
    'PUT',
    'parameters/{name}',
    'sets a parameter ({"value": "..."}; null resets it to its default), on every process',
  ),
  api('GET', 'sites', 'every site with its work periods'),
  api('POST', 'sites', 'creates a site'),
  api('PATCH', 'sites/{sitekey}', 'changes a site'),
  api('POST', 'users', 'creates a user (userGroup and skills by name)'),
  api(
    'PATCH',
    'users/{username}',
    'changes a user (password, name, email, maxChats, userGroup, skills, photo)',
  ),
  api('GET', 'usergroups', 'every user group'),
  api('POST', 'usergroups', 'creates a user group'),
  api('PATCH', 'usergroups/{id}', 'renames or redescribes a user group'),
  api('GET', 'skills', 'every skill'),
  api('POST', 'skills', 'creates a skill'),
  api('PATCH', 'skills/{id}', 'renames or redescribes a skill'),
  api(
    'POST',
    'workperiods',
    'adds a work period to a site ({"siteKey","dayOfWeek","start":"HH:MM","end":"HH:MM"})',
  ),
  api('POST', 'cannedresponses', 'creates a canned response (for one user, or shared without username)'),
  api('PATCH', 'cannedresponses/{id}', 'changes a canned response'),
  api('GET', 'chatconnectors', 'every WhatsApp chat connector (API keys masked)'),
  api(
    'POST',
    'chatconnectors',
    'creates a WhatsApp chat connector ({"siteKey","phoneNumber","apiKey","language","skill"?,"enabled"?})',
  ),
  api('PATCH', 'chatconnectors/{id}', 'changes a chat connector (number, API key, language, skill, on/off)'),
  api(
    'DELETE',
    'chatconnectors/{id}',
    'deletes a chat connector; 409 while its site has open WhatsApp chats',
  ),
  api('GET', 'sites/{sitekey}/webhooks', "a site's outbound webhook endpoints (never their secrets)"),
  api(
    'POST',
    'sites/{sitekey}/webhooks',
    'adds an outbound webhook endpoint ({"url","secret","events"?,"enabled"?,"allowHttp"?}; docs/webhooks.md)',
  ),
  api(
    'PATCH',
    'sites/{sitekey}/webhooks/{id}',
    'changes an outbound webhook endpoint (url, secret, events, on/off)',
  ),
  api(
    'DELETE',
    'sites/{sitekey}/webhooks/{id}',
    'deletes an outbound webhook endpoint and its undelivered events',
  ),
  api('GET', 'sites/{sitekey}/webhooks/deliveries', "a site's webhook deliveries, newest first", [
    { name: 'state', required: false, description: 'pending, delivered or dead (given up)' },
    { name: 'limit', required: false, description: 'at most this many (default 100)' },
  ]),
  api('GET', 'oidcproviders', 'every OpenID Connect single sign-on provider (client secrets never shown)'),
  api(
    'POST',
    'oidcproviders',
    'creates an OIDC provider from the template JSON ({"IdDomain","IsEnabled","Name","Properties":{"TENANT"|"ISSUER","CLIENTID","CLIENTSECRET"}})',
  ),
  api(
    'PUT',
    'oidcproviders/{id}',
    "replaces an OIDC provider's settings (without CLIENTSECRET the stored one stays)",
  ),
  api('DELETE', 'oidcproviders/{id}', 'deletes an OIDC provider'),
  api('GET', 'routingrules', "a site's routing rules in the order they run", [sitekey]),
  api(
    'POST',
    'routingrules',
    'creates a routing rule ({"siteKey","name","skill","position"?,"pageUrlContains"?,"language"?,"variables"?,"actions"?})',
  ),
  api('PATCH', 'routingrules/{id}', 'changes a routing rule (null clears a condition or the actions)'),
  api('DELETE', 'routingrules/{id}', 'deletes a routing rule'),
  api(
    'GET',
    'blocks',
    'the visitor blocks in force (BX): visitor id, address, site, reason, who, until when',
  ),
  api('DELETE', 'blocks/{id}', 'lifts a visitor block at once'),
  api(
    'GET',
    'webhooks/deadletters',
    'TynTec webhooks that could never be processed, newest first, with the reason',
    [{ name: 'limit', required: false, description: 'at most this many (default 100)' }],
  ),
  api('GET', 'audit', 'the audit trail, newest first', [
    {
      name: 'kind',
      required: false,
      description:
        'site, user, usergroup, skill, workperiod, cannedresponse, chatconnector, routingrule or parameter',
    },
    { name: 'key', required: false, description: 'the site key, username, name or id' },
    { name: 'limit', required: false, description: 'most rows (default 200)' },
  ]),
];
