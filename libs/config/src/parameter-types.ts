/** How a parameter's text value is parsed and checked. */
export type ParameterRule =
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'url'; readonly protocols: readonly string[] }
  | { readonly kind: 'text'; readonly maxLength: number };

export type ParameterValue = number | boolean | string;

export interface ParameterDefinition {
  readonly name: string;
  readonly rule: ParameterRule;
  readonly defaultValue: ParameterValue;
  readonly description: string;
}

/** Raised when a value breaks its parameter's rule; the message names the parameter and the rule. */
export class ParameterValidationError extends Error {
  constructor(
    readonly parameter: string,
    readonly rule: string,
    readonly rawValue: string,
  ) {
    super(`${parameter} must be ${rule} (got ${JSON.stringify(rawValue)})`);
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
      return `an absolute URL starting with ${rule.protocols.map((protocol) => `${protocol}//`).join(' or ')}`;
    case 'text':
      return `a text of at most ${rule.maxLength} characters`;
  }
}

/** Parses a text value under its rule, or throws ParameterValidationError. */
export function parseParameterValue(definition: ParameterDefinition, rawValue: string): ParameterValue {
  const { rule } = definition;
  const fail = (): never => {
    throw new ParameterValidationError(definition.name, describeRule(rule), rawValue);
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
      return isUrlWithProtocol(trimmed, rule.protocols) ? trimmed : fail();
    case 'text':
      return rawValue.length <= rule.maxLength ? rawValue : fail();
  }
}

function isUrlWithProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
