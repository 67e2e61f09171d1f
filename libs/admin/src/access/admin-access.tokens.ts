/** Injection token of the {@link AdminAccessSettings} of this process. */
export const ADMIN_ACCESS_SETTINGS = Symbol('ADMIN_ACCESS_SETTINGS');
