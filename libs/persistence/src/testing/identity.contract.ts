import { randomBytes } from 'node:crypto';
import type { ContextProvider } from './contract-context';
import { makeOperator, testPassword, uniqueName } from './factories';

const sessionKey = (): string => randomBytes(16).toString('hex');
const hour = 3_600_000;

/** Roles, directory users without a local password, and sessions the database revokes and rotates once. */
export function identityContract(context: ContextProvider): void {
  describe('identity', () => {
    it('gives a new operator the agent role and local log-in, and keeps a role given', async () => {
      const { operators } = context().repositories;
      expect(await makeOperator(context().repositories)).toMatchObject({
        role: 'agent',
        authSource: 'local',
        disabled: false,
      });
      const admin = await makeOperator(context().repositories, { role: 'administrator' });
      expect((await operators.findById(admin.id))?.role).toBe('administrator');
    });

    it('refuses a local password for a directory user, and a directory user has none to match', async () => {
      const { operators } = context().repositories;
      await expect(
        makeOperator(context().repositories, { authSource: 'ldap', password: 'a password' }),
      ).rejects.toThrow('a ldap user has no local password');
      const ldapUser = await makeOperator(context().repositories, {
        authSource: 'ldap',
        password: undefined,
      });
      expect(await operators.verifyCredentials(ldapUser.username, '')).toBeNull();
      await expect(operators.setPassword(ldapUser.id, 'another password')).rejects.toThrow(
        'has no local password',
      );
      await expect(operators.update(ldapUser.id, { password: 'x'.repeat(10) })).rejects.toThrow(
        'has no local password',
      );
    });

    it('drops the local password of a user moved to a directory', async () => {
      const { operators } = context().repositories;
      const user = await makeOperator(context().repositories);
      await operators.update(user.id, { authSource: 'oidc' });
      expect(await operators.verifyCredentials(user.username, testPassword)).toBeNull();
      await expect(operators.update(user.id, { authSource: 'local' })).rejects.toThrow('needs a password');
    });

    it('finds an operator by username or, failing that, by email (any case)', async () => {
      const { operators } = context().repositories;
      const email = `${uniqueName('mail')}@Example.test`;
      const user = await makeOperator(context().repositories, { email });
      expect((await operators.findByLogin(user.username))?.id).toBe(user.id);
      expect((await operators.findByLogin(email.toLowerCase()))?.id).toBe(user.id);
      expect(await operators.findByLogin('nobody@example.test')).toBeNull();
    });

    it('rotates a refresh hash once: the second use of the same token loses', async () => {
      const { agentSessions } = context().repositories;
      const operator = await makeOperator(context().repositories);
      const key = sessionKey();
      const now = new Date();
      await agentSessions.open({
        sessionKey: key,
        operatorId: operator.id,
        refreshHash: 'a'.repeat(64),
        remember: false,
        expiresAt: new Date(now.getTime() + hour),
      });
      const next = { refreshHash: 'b'.repeat(64), expiresAt: new Date(now.getTime() + 2 * hour) };
      const [first, second] = await Promise.all([
        agentSessions.rotate(key, 'a'.repeat(64), next, now),
        agentSessions.rotate(key, 'a'.repeat(64), { ...next, refreshHash: 'c'.repeat(64) }, now),
      ]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      expect((await agentSessions.findActive(key, now))?.expiresAt.toISOString()).toBe(
        next.expiresAt.toISOString(),
      );
    });

    it('ends a session at its deadline, on revocation, and with its operator', async () => {
      const { agentSessions, operators } = context().repositories;
      const operator = await makeOperator(context().repositories);
      const now = new Date();
      const [expiring, revoked, other] = [sessionKey(), sessionKey(), sessionKey()];
      for (const key of [expiring, revoked, other])
        await agentSessions.open({
          sessionKey: key,
          operatorId: operator.id,
          refreshHash: 'a'.repeat(64),
          remember: key === other,
          expiresAt: new Date(now.getTime() + (key === expiring ? 1000 : hour)),
        });
      expect(await agentSessions.findActive(expiring, new Date(now.getTime() + 2000))).toBeNull();
      expect(await agentSessions.revoke(revoked, 'logout', now)).toBe(true);
      expect(await agentSessions.revoke(revoked, 'logout', now)).toBe(false);
      expect(await agentSessions.findActive(revoked, now)).toBeNull();
      expect(
        await agentSessions.rotate(
          revoked,
          'a'.repeat(64),
          { refreshHash: 'b'.repeat(64), expiresAt: now },
          now,
        ),
      ).toBe(false);
      expect(await agentSessions.revokeAll(operator.id, 'disabled', now)).toBe(2);
      expect((await agentSessions.findByKey(other))?.revokeReason).toBe('disabled');
      await operators.delete(operator.id);
      expect(await agentSessions.findByKey(other)).toBeNull();
    });
  });
}
