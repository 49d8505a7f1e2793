// The log lines operations write; main wires it to @actions/core, tests may pass their own.
export interface Log {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** An annotation on the run's summary page. */
  notice(message: string): void
}
