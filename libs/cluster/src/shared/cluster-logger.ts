/** The logging this library needs; `console` and NestJS's `Logger` both fit. */
export interface ClusterLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
