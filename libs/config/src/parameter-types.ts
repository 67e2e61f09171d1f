/** How a parameter's text value is parsed and checked. */
export type ParameterRule =
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'url'; readonly protocols: readonly string[]; readonly optional?: boolean }
  | { readonly kind: 'text'; readonly maxLength: number; readonly format?: TextFormat }
  /** A JSON object whose keys are free text and whose values are among `values` (e.g. group → role). */
  | { readonly kind: 'mapping'; readonly keys: string; readonly values: readonly string[] };

/** What a text parameter must look like, and how its rule says it. */
export interface TextFormat {
  readonly pattern: RegExp;
  readonly says: string;
}

export type ParameterValue = number | boolean | string;

export interface ParameterDefinition {
  readonly name: string;
  readonly rule: ParameterRule;
  readonly defaultValue: ParameterValue;
  readonly description: string;
  /** A password or key: write-only (shown as `***`), never logged, stored encrypted. */
  readonly secret?: boolean;
}

/** What a secret parameter shows instead of its value, wherever it is read back. */
export const SECRET_SHOWN = '***';

/**
 * Raised when a value breaks its parameter's rule; the message names the parameter and the rule, and
 * repeats the value refused unless it is a secret (`rawValue` undefined).
 */
export class ParameterValidationError extends Error {
  constructor(
    readonly parameter: string,
    readonly rule: string,
    readonly rawValue: string | undefined,
  ) {
    super(
      `${parameter} must be ${rule}${rawValue === undefined ? '' : ` (got ${JSON.stringify(rawValue)})`}`,
    );
    this.name = 'ParameterValidationError';
  }
}

export class UnknownParameterError extends Error {
  constructor(readonly parameter: string) {
    super(`unknown parameter ${JSON.stringify(parameter)}: see docs/parameters.md for the list`);
    this.name = 'UnknownParameterError';
  }
}

export function describeRule(rule: ParameterRule): string {
  switch (rule.kind) {
    case 'integer':
      return `an integer between ${rule.min} and ${rule.max}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${rule.values.join(', ')}`;
    case 'url':
      return `${rule.optional === true ? 'empty or ' : ''}an absolute URL starting with ${rule.protocols.map((protocol) => `${protocol}//`).join(' or ')}`;
    case 'text':
      return `a text of at most ${rule.maxLength} characters${rule.format ? `, ${rule.format.says}` : ''}`;
    case 'mapping':
      return `a JSON object mapping ${rule.keys} to one of ${rule.values.join(', ')}`;
  }
}

/** Parses a text value under its rule, or throws ParameterValidationError. */
export function parseParameterValue(definition: ParameterDefinition, rawValue: string): ParameterValue {
  const { rule } = definition;
  const fail = (): never => {
    throw new ParameterValidationError(
      definition.name,
      describeRule(rule),
      definition.secret === true ? undefined : rawValue,
    );
  };
  const trimmed = rawValue.trim();
  switch (rule.kind) {
    case 'integer': {
      if (!/^-?\d+$/.test(trimmed)) return fail();
      const value = Number(trimmed);
      return value >= rule.min && value <= rule.max ? value : fail();
    }
    case 'boolean':
      if (trimmed === 'true' || trimmed === '1') return true;
      if (trimmed === 'false' || trimmed === '0') return false;
      return fail();
    case 'enum':
      return rule.values.includes(trimmed) ? trimmed : fail();
    case 'url':
      return (rule.optional === true && trimmed === '') || isUrlWithProtocol(trimmed, rule.protocols)
        ? trimmed
        : fail();
    case 'text':
      return rawValue.length <= rule.maxLength && (rule.format?.pattern.test(rawValue) ?? true)
        ? rawValue
        : fail();
    case 'mapping':
      return isMapping(trimmed, rule.values) ? trimmed : fail();
  }
}

function isMapping(value: string, allowed: readonly string[]): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      Object.entries(parsed).every(
        ([key, target]) => key.trim() !== '' && typeof target === 'string' && allowed.includes(target),
      )
    );
  } catch {
    return false;
  }
}

function isUrlWithProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
