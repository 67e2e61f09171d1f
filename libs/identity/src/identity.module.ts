import { Module } from '@nestjs/common';
import { ChatModule } from '@switchboard/chat';
import { DirectoryPasswordCheck, PasswordCheck } from './credentials/password-check';
import { LdapDirectory } from './ldap/ldap-directory';
import { LdapPasswordCheck } from './ldap/ldap-password-check';
import { LoginAudit } from './sessions/login-audit';
import { LoginLimits } from './sessions/login-limits';
import { SessionService } from './sessions/session.service';
import { OidcClient } from './sso/oidc-client';
import { SsoService } from './sso/sso.service';

/**
 * Who an operator is: password checks (local, LDAP/AD), OpenID Connect single sign-on, sessions with
 * refreshable tokens, their revocation on every node, the audit of every log-in. Stands on
 * PlatformModule and PersistenceModule.
 */
@Module({
  imports: [ChatModule],
  providers: [
    LoginAudit,
    LoginLimits,
    PasswordCheck,
    LdapDirectory,
    { provide: DirectoryPasswordCheck, useClass: LdapPasswordCheck },
    SessionService,
    OidcClient,
    SsoService,
  ],
  exports: [SessionService, SsoService],
})
export class IdentityModule {}
