import {
  bindName,
  commonNameOf,
  directoryUsername,
  escapeDnValue,
  escapeFilterValue,
  fillTemplate,
  normalizeDn,
} from './ldap-names';

describe('directoryUsername', () => {
  it.each([
    ['alice', 'alice'],
    ['alice@example.com', 'alice'],
    ['EXAMPLE\\alice', 'alice'],
    ['a.b_c-d', 'a.b_c-d'],
    ['Alice.Smith@corp.example.com', 'Alice.Smith'],
  ])('takes %j as the directory user %j', (username, expected) => {
    expect(directoryUsername(username)).toBe(expected);
  });

  it.each([
    '*',
    'alice*',
    'alice)(uid=*',
    '*)(|(uid=*',
    'alice\\',
    'a\\b\\alice',
    'EXAMPLE DOMAIN\\alice',
    'EXAMPLE\\alice@example.com',
    'alice@example.com@evil',
    'alice@(uid=*)',
    'alice,ou=admins',
    'uid=alice',
    'alice\0',
    'alice bob',
    ' alice',
    '#alice',
    '-alice',
    '.alice',
    '',
    '@example.com',
    'EXAMPLE\\',
    'alice+cn=x',
    'al<ice>',
    'alice;x',
    'alice"',
    'ålice',
    'a'.repeat(65),
  ])('refuses %j: it would need escaping, or is no username at all', (username) => {
    expect(directoryUsername(username)).toBeNull();
  });
});

describe('escapeFilterValue (RFC 4515)', () => {
  it('escapes the filter metacharacters and NUL as \\xx', () => {
    expect(escapeFilterValue('a*b(c)d\\e\0f')).toBe('a\\2ab\\28c\\29d\\5ce\\00f');
  });

  it('turns an injection into a literal value', () => {
    const filter = fillTemplate(
      '(uid={username})',
      { username: '*)(uid=*))(|(uid=*', domain: '' },
      escapeFilterValue,
    );
    expect(filter).toBe('(uid=\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a)');
    // One opening and one closing parenthesis remain: the template's own.
    expect(filter.replace(/\\../g, '').match(/[()]/g)).toEqual(['(', ')']);
  });

  it('leaves plain usernames as they are', () => {
    expect(escapeFilterValue('alice.smith-2')).toBe('alice.smith-2');
  });
});

describe('escapeDnValue (RFC 4514)', () => {
  it.each([
    ['a,b', 'a\\,b'],
    ['a=b', 'a\\=b'],
    ['a+b', 'a\\+b'],
    ['a\\b', 'a\\\\b'],
    ['a"b<c>d;e', 'a\\"b\\<c\\>d\\;e'],
    [' lead', '\\ lead'],
    ['#hash', '\\#hash'],
    ['trail ', 'trail\\ '],
    ['nul\0', 'nul\\00'],
  ])('escapes %j as %j', (value, expected) => {
    expect(escapeDnValue(value)).toBe(expected);
  });
});

describe('bindName', () => {
  it('binds AD users by userPrincipalName', () => {
    expect(bindName('{username}@{domain}', 'alice', 'example.com')).toBe('alice@example.com');
  });

  it('binds AD users by down-level name', () => {
    expect(bindName('EXAMPLE\\{username}', 'alice', 'example.com')).toBe('EXAMPLE\\alice');
  });

  it('DN-escapes the username in a DN template', () => {
    expect(bindName('uid={username},ou=people,dc=example,dc=org', 'alice', '')).toBe(
      'uid=alice,ou=people,dc=example,dc=org',
    );
    expect(bindName('uid={username},ou=people,dc=example,dc=org', 'x,ou=admins', '')).toBe(
      'uid=x\\,ou\\=admins,ou=people,dc=example,dc=org',
    );
  });
});

describe('DN comparison', () => {
  it('ignores case and the spaces around separators', () => {
    expect(normalizeDn('CN=Chat Admins, OU=Groups ,DC=Example,DC=com')).toBe(
      'cn=chat admins,ou=groups,dc=example,dc=com',
    );
  });

  it('reads the CN of a group DN, unescaped', () => {
    expect(commonNameOf('CN=Chat Admins,OU=Groups,DC=example,DC=com')).toBe('chat admins');
    expect(commonNameOf('cn=Sales\\, EMEA,ou=groups')).toBe('sales, emea');
    expect(commonNameOf('ou=groups,dc=example')).toBeNull();
  });
});
