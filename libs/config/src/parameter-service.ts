import type { ClusterEvent, ClusterEventOf } from '@switchboard/protocol';
import {
  PARAMETERS,
  environmentVariableFor,
  isParameterName,
  isSecretParameter,
  type ParameterName,
  type ParameterValueOf,
} from './parameter-registry';
import {
  ParameterValidationError,
  SECRET_SHOWN,
  UnknownParameterError,
  describeRule,
  parseParameterValue,
  type ParameterValue,
} from './parameter-types';
import type { Environment } from './environment';

/** Where parameters are stored (the `parameters` table, with its audit trail). */
export abstract class ParameterStore {
  abstract list(): Promise<ReadonlyArray<{ readonly name: string; readonly value: string }>>;
  /** Stores the value (null removes it, back to the default) and audits the change; resolves to the old value. */
  abstract save(
    name: string,
    value: string | null,
    changedBy: string,
  ): Promise<{ readonly previous: string | null }>;
}

export type ParameterSource = 'default' | 'database' | 'environment';

export interface ParameterView {
  readonly name: ParameterName;
  readonly value: ParameterValue;
  readonly source: ParameterSource;
  readonly defaultValue: ParameterValue;
  readonly rule: string;
  readonly description: string;
}

export interface ParameterChange {
  readonly name: ParameterName;
  readonly previous: ParameterValue;
  readonly current: ParameterValue;
}

type Logger = Pick<Console, 'log' | 'warn'>;

/**
 * The live parameter values of one process: defaults, overridden by the database, overridden by
 * the environment. A change is stored, published on the cluster stream, and applied by every process.
 */
export class ParameterService {
  private stored = new Map<ParameterName, ParameterValue>();
  private readonly listeners = new Set<(change: ParameterChange) => void>();

  constructor(
    private readonly store: ParameterStore,
    private readonly publish: (event: ClusterEvent) => Promise<unknown>,
    private readonly origin: string,
    private readonly environment: Environment,
    private readonly logger: Logger = console,
  ) {
    for (const name of Object.keys(PARAMETERS) as ParameterName[]) {
      const raw = this.environment[environmentVariableFor(name)];
      // A bad override must stop the process at start, not be half-applied.
      if (raw !== undefined) parseParameterValue(PARAMETERS[name], raw);
    }
  }

  /** Loads every stored value; a stored value that breaks its rule is logged and ignored (the default applies). */
  async reloadAll(): Promise<void> {
    const rows = await this.store.list();
    const next = new Map<ParameterName, ParameterValue>();
    for (const row of rows) {
      if (!isParameterName(row.name)) {
        this.logger.warn(`parameters: ignoring unknown stored parameter ${row.name}`);
        continue;
      }
      try {
        next.set(row.name, parseParameterValue(PARAMETERS[row.name], row.value));
      } catch (error) {
        this.logger.warn(`parameters: ignoring stored value, using the default: ${(error as Error).message}`);
      }
    }
    const before = new Map(
      (Object.keys(PARAMETERS) as ParameterName[]).map((name) => [name, this.get(name)]),
    );
    this.stored = next;
    for (const [name, previous] of before) this.notifyIfChanged(name, previous);
  }

  /** The effective value, a secret's included: for the service that uses it, never to show. */
  get<TName extends ParameterName>(name: TName): ParameterValueOf<TName> {
    return this.resolve(name).value as ParameterValueOf<TName>;
  }

  /** What anyone may read of a parameter: a secret's value (and default) shows as `***` when set, else empty. */
  view(name: ParameterName): ParameterView {
    const { value, ...rest } = this.resolve(name);
    return isSecretParameter(name)
      ? { ...rest, value: shown(value), defaultValue: shown(rest.defaultValue) }
      : { ...rest, value };
  }

  private resolve(name: ParameterName): ParameterView {
    const definition = PARAMETERS[name];
    const override = this.environment[environmentVariableFor(name)];
    const stored = this.stored.get(name);
    const [value, source]: [ParameterValue, ParameterSource] =
      override !== undefined
        ? [parseParameterValue(definition, override), 'environment']
        : stored !== undefined
          ? [stored, 'database']
          : [definition.defaultValue, 'default'];
    return {
      name,
      value,
      source,
      defaultValue: definition.defaultValue,
      rule: describeRule(definition.rule),
      description: definition.description,
    };
  }

  list(): ParameterView[] {
    return (Object.keys(PARAMETERS) as ParameterName[]).map((name) => this.view(name));
  }

  /**
   * Validates, stores (with audit), publishes and applies a new value; `null` resets to the default.
   * Throws UnknownParameterError or ParameterValidationError before anything is stored. A secret's
   * change says `***`, in the answer, the log and the cluster event alike.
   */
  async set(name: string, rawValue: string | null, changedBy: string): Promise<ParameterChange> {
    if (!isParameterName(name)) throw new UnknownParameterError(name);
    const parsed = rawValue === null ? null : parseParameterValue(PARAMETERS[name], rawValue);
    const previous = this.view(name).value;
    const storedText = parsed === null ? null : String(parsed);
    await this.store.save(name, storedText, changedBy);
    this.applyStored(name, parsed);
    const current = this.view(name).value;
    await this.publish({
      type: 'parameter.changed',
      origin: this.origin,
      at: new Date().toISOString(),
      name,
      // note: a secret never rides the cluster stream; the other processes read it from the database.
      value: storedText === null || !isSecretParameter(name) ? storedText : SECRET_SHOWN,
      changedBy,
    });
    this.logger.log(`parameters: ${name} changed by ${changedBy}: ${String(previous)} -> ${String(current)}`);
    return { name, previous, current };
  }

  /** Applies a change published by another process (a secret's is read again from the store). */
  applyEvent(event: ClusterEventOf<'parameter.changed'>): void {
    if (event.origin === this.origin) return;
    if (!isParameterName(event.name)) {
      this.logger.warn(`parameters: change of unknown parameter ${event.name} from ${event.origin} ignored`);
      return;
    }
    if (isSecretParameter(event.name)) {
      this.reloadAll().then(
        () => this.logger.log(`parameters: ${event.name} changed (changed by ${event.changedBy})`),
        (error: Error) => this.logger.warn(`parameters: could not re-read ${event.name}: ${error.message}`),
      );
      return;
    }
    try {
      const parsed = event.value === null ? null : parseParameterValue(PARAMETERS[event.name], event.value);
      this.applyStored(event.name, parsed);
      this.logger.log(
        `parameters: ${event.name} = ${String(this.get(event.name))} (changed by ${event.changedBy})`,
      );
    } catch (error) {
      if (!(error instanceof ParameterValidationError)) throw error;
      this.logger.warn(`parameters: invalid change from ${event.origin} ignored: ${error.message}`);
    }
  }

  /** Calls `listener` after every change of an effective value, whatever its origin. */
  onChange(listener: (change: ParameterChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private applyStored(name: ParameterName, value: ParameterValue | null): void {
    const previous = this.get(name);
    if (value === null) this.stored.delete(name);
    else this.stored.set(name, value);
    this.notifyIfChanged(name, previous);
  }

  private notifyIfChanged(name: ParameterName, previous: ParameterValue): void {
    const current = this.get(name);
    if (current === previous) return;
    for (const listener of this.listeners) listener({ name, previous, current });
  }
}

function shown(value: ParameterValue): ParameterValue {
  return value === '' ? '' : SECRET_SHOWN;
}
