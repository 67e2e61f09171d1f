/** Injection tokens of the platform module (classes are their own tokens elsewhere). */
export const BOOTSTRAP_SETTINGS = Symbol('BOOTSTRAP_SETTINGS');
export const SERVICE_INFO = Symbol('SERVICE_INFO');
/** The environment the process was started with (`Environment`): feature modules parse their own variables from it. */
export const ENVIRONMENT = Symbol('ENVIRONMENT');
/** Where log lines go besides getlog.txt (`LogOutput`, or null for standard output). */
export const LOG_OUTPUT = Symbol('LOG_OUTPUT');

/** Who this process is: the service name (client-messenger, routing, …) and its version. */
export interface ServiceInfo {
  readonly service: string;
  readonly version: string;
  readonly startedAt: Date;
}
