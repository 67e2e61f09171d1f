import { parseArgs } from 'node:util';
import { AzureLikeTenant, type TenantClient, type TenantUser } from './azure-like-tenant';

const USAGE = `Usage: npm run oidc-provider -- --client-id ID --client-secret SECRET --redirect-uri URI [options]

An OpenID provider shaped like an Azure AD tenant (oidc-provider) for tests and demos: issuer
http://HOST:PORT/TENANT/v2.0, PKCE required, a development log-in form that accepts any password
(docs/identity.md, "A test provider"). Never expose it: it signs anyone in as any of its users.

  --port N               listen port (default 4100; 0 = any free port)
  --host ADDRESS         listen address (default 127.0.0.1)
  --tenant ID            the tenant id in the issuer path (default 00000000-0000-4000-8000-00000000a2e0)
  --client-id ID         the app registration's client id
  --client-secret SECRET its client secret
  --redirect-uri URI     the redirect URI registered (repeatable)
  --users JSON           the users, e.g. '[{"sub":"1","preferred_username":"alice@contoso.com"}]'
  --clients JSON         more app registrations ([{"clientId","clientSecret","redirectUris","idTokenAudience"?}])
  --help                 this text`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string', default: '4100' },
      host: { type: 'string', default: '127.0.0.1' },
      tenant: { type: 'string', default: '00000000-0000-4000-8000-00000000a2e0' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true, default: [] },
      users: { type: 'string', default: '[]' },
      clients: { type: 'string', default: '[]' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values['client-id'] || !values['client-secret']) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const clients: TenantClient[] = [
    {
      clientId: values['client-id'],
      clientSecret: values['client-secret'],
      redirectUris: values['redirect-uri'],
    },
    ...(JSON.parse(values.clients) as TenantClient[]),
  ];
  const tenant = new AzureLikeTenant({
    tenant: values.tenant,
    clients,
    users: JSON.parse(values.users) as TenantUser[],
  });
  const issuer = await tenant.start(Number(values.port), values.host);
  process.stdout.write(`oidc-provider listening, issuer ${issuer}\n`);
  process.once('SIGINT', () => void tenant.stop());
  process.once('SIGTERM', () => void tenant.stop());
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
