export * from './identity.exception';
export * from './identity.module';
export * from './sessions/login-audit';
export * from './sessions/session.service';
