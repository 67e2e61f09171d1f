import { Module } from '@nestjs/common';
import { ChatModule } from '@switchboard/chat';
import { DirectoryPasswordCheck, NoDirectory, PasswordCheck } from './credentials/password-check';
import { LoginAudit } from './sessions/login-audit';
import { LoginLimits } from './sessions/login-limits';
import { SessionService } from './sessions/session.service';

/**
 * Who an operator is: password checks (local, LDAP/AD), sessions with refreshable tokens, their
 * revocation on every node, the audit of every log-in. Stands on PlatformModule and PersistenceModule.
 */
@Module({
  imports: [ChatModule],
  providers: [
    LoginAudit,
    LoginLimits,
    PasswordCheck,
    { provide: DirectoryPasswordCheck, useClass: NoDirectory },
    SessionService,
  ],
  exports: [SessionService],
})
export class IdentityModule {}
