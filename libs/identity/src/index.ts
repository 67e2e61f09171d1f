export * from './identity.exception';
export * from './identity.module';
export * from './sessions/login-audit';
export * from './sessions/session.service';
export * from './sso/oidc-settings';
export * from './sso/sso.exception';
export * from './sso/sso.service';
