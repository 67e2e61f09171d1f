import { azureTemplate } from '../testing/azure-template';
import { inIdDomain, issuerOf, oidcSettingsSchema, redirectUriOf, withoutSecret } from './oidc-settings';
import { roleFromGroups } from './role-mapping';
import { namesIn } from './sso.service';

const template = azureTemplate();

const issues = (input: unknown) =>
  oidcSettingsSchema
    .safeParse(input)
    .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('OIDC settings', () => {
  it("accept the seed's template JSON, IsEnabled as its string", () => {
    const settings = oidcSettingsSchema.parse(template);
    expect(settings.IsEnabled).toBe(true);
    expect(oidcSettingsSchema.parse({ ...template, IsEnabled: false }).IsEnabled).toBe(false);
  });

  it('refuse a missing client id, a bad domain and unknown fields, each with the field named', () => {
    expect(issues({ ...template, Properties: { TENANT: 't' } })).toEqual([
      'Properties.CLIENTID: Invalid input: expected string, received undefined',
    ]);
    expect(issues({ ...template, IdDomain: 'not a domain' })).toEqual([
      'IdDomain: must be a domain name like contoso.com',
    ]);
    expect(issues({ ...template, Colour: 'blue' })?.[0]).toMatch(/Unrecognized key: "Colour"/);
  });

  it('need exactly one of TENANT and ISSUER', () => {
    const both = { ...template, Properties: { ...template.Properties, ISSUER: 'https://idp.example.com' } };
    const neither = { ...template, Properties: { CLIENTID: 'app-id' } };
    expect(issues(both)).toEqual([
      'Properties.TENANT: give TENANT (Azure) or ISSUER (any other provider), not both',
    ]);
    expect(issues(neither)).toEqual(issues(both));
  });

  it('take an https issuer, and http only on a loopback address', () => {
    const withIssuer = (ISSUER: string) => ({ ...template, Properties: { CLIENTID: 'app', ISSUER } });
    expect(issues(withIssuer('https://accounts.example.com/realm'))).toBeUndefined();
    expect(issues(withIssuer('http://127.0.0.1:4100/tenant/v2.0'))).toBeUndefined();
    expect(issues(withIssuer('http://idp.example.com'))).toEqual([
      'Properties.ISSUER: must be an https:// URL (http:// only for a loopback test provider)',
    ]);
  });

  it('map groups to roles only with known roles', () => {
    const bad = { ...template, Properties: { ...template.Properties, GROUPROLES: { admins: 'root' } } };
    expect(issues(bad)?.[0]).toMatch(/^Properties.GROUPROLES.admins: /);
  });
});

describe('the Azure preset', () => {
  it("derives the issuer from the tenant: Azure AD's v2.0 endpoint", () => {
    expect(issuerOf(oidcSettingsSchema.parse(template)).href).toBe(
      'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
    );
  });

  it('uses ISSUER as it is for any other provider', () => {
    const other = oidcSettingsSchema.parse({
      ...template,
      Properties: { CLIENTID: 'app', ISSUER: 'https://accounts.example.com/realm' },
    });
    expect(issuerOf(other).href).toBe('https://accounts.example.com/realm');
  });
});

describe('IdDomain matching', () => {
  it('matches addresses in the domain whatever their case, nothing else', () => {
    expect(inIdDomain('Alice@Contoso.COM', 'contoso.com')).toBe(true);
    expect(inIdDomain(' bob@contoso.com ', 'contoso.com')).toBe(true);
    expect(inIdDomain('alice', 'contoso.com')).toBe(false);
    expect(inIdDomain('alice@sub.contoso.com', 'contoso.com')).toBe(false);
    expect(inIdDomain('alice@contoso.com.evil.org', 'contoso.com')).toBe(false);
    expect(inIdDomain('@contoso.com', 'contoso.com')).toBe(false);
  });
});

describe('the client secret', () => {
  it('is left out of what is stored in clear, shown and audited', () => {
    const shown = withoutSecret(oidcSettingsSchema.parse(template));
    expect(JSON.stringify(shown)).not.toContain('s3cret~value');
    expect(shown.Properties).toEqual({ TENANT: template.Properties.TENANT, CLIENTID: 'app-id' });
  });
});

describe('the redirect URI', () => {
  it("is https on the wss frontend's host", () => {
    expect(redirectUriOf('wss://chat.contoso.com:3003', false).href).toBe(
      'https://chat.contoso.com:3003/auth/oidc/callback',
    );
  });

  it('is http only for a loopback address with ACD.Chat.Sso.AllowLoopbackHttp', () => {
    expect(redirectUriOf('ws://127.0.0.1:3000', true).href).toBe('http://127.0.0.1:3000/auth/oidc/callback');
    expect(() => redirectUriOf('ws://127.0.0.1:3000', false)).toThrow(/must be wss:\/\/ or https:\/\//);
    expect(() => redirectUriOf('ws://chat.contoso.com:3000', true)).toThrow(/must be wss:\/\//);
  });
});

describe('ID token claims', () => {
  it('name the user by preferred_username, email and upn, once each', () => {
    expect(
      namesIn({ preferred_username: 'a@contoso.com', email: 'a@contoso.com', upn: 'A1@contoso.com' }),
    ).toEqual(['a@contoso.com', 'A1@contoso.com']);
    expect(namesIn({ sub: 'x', email: 42 })).toEqual([]);
  });

  it('give the highest role their mapped groups give', () => {
    const properties = { CLIENTID: 'app', GROUPROLES: { g1: 'supervisor', g2: 'administrator' } } as const;
    expect(roleFromGroups(properties, { groups: ['g0', 'g1', 'g2'] })).toBe('administrator');
    expect(roleFromGroups(properties, { groups: ['g0'] })).toBeUndefined();
    expect(roleFromGroups({ ...properties, GROUPCLAIM: 'roles' }, { roles: ['g1'] })).toBe('supervisor');
    expect(roleFromGroups({ CLIENTID: 'app' }, { groups: ['g1'] })).toBeUndefined();
  });
});
