export { LdapDirectory } from '../ldap/ldap-directory';
export { readLdapSettings } from '../ldap/ldap-settings';
export * from './slapd';
export * from './azure-template';
