import { hasGroupRoles, parseGroupRoles, roleForGroups } from './ldap-roles';

describe('group → role mapping', () => {
  const mapping = parseGroupRoles(
    JSON.stringify({
      'cn=chat-supervisors,ou=groups,dc=example,dc=org': 'supervisor',
      'Chat Admins': 'administrator',
      'cn=agents,ou=groups,dc=example,dc=org': 'agent',
    }),
  );

  it('maps a group by its DN, whatever the case and spacing', () => {
    expect(roleForGroups(mapping, ['CN=Chat-Supervisors, OU=Groups, DC=example, DC=org'])).toBe('supervisor');
  });

  it('maps a group by its CN anywhere in the tree', () => {
    expect(roleForGroups(mapping, ['CN=Chat Admins,OU=IT,DC=corp,DC=example,DC=com'])).toBe('administrator');
  });

  it('gives the highest role of all mapped groups', () => {
    expect(
      roleForGroups(mapping, [
        'cn=agents,ou=groups,dc=example,dc=org',
        'cn=Chat Admins,ou=groups,dc=example,dc=org',
        'cn=chat-supervisors,ou=groups,dc=example,dc=org',
      ]),
    ).toBe('administrator');
  });

  it('gives agent when no group is mapped', () => {
    expect(roleForGroups(mapping, ['cn=staff,ou=groups,dc=example,dc=org'])).toBe('agent');
    expect(roleForGroups(mapping, [])).toBe('agent');
  });

  it('says whether any group is mapped', () => {
    expect(hasGroupRoles(mapping)).toBe(true);
    expect(hasGroupRoles(parseGroupRoles('{}'))).toBe(false);
  });
});
