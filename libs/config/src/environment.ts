import { z } from 'zod';

/** The process environment as a plain object: `process.env` in production, a literal in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Every problem of an environment at once, each naming its variable and what it accepts. */
export class BootstrapSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n  - ${problems.join('\n  - ')}\nSee docs/operations.md ("Environment").`);
    this.name = 'BootstrapSettingsError';
  }
}

/** What a variable's parser answers for a text it refuses: each problem, without the variable's name. */
export interface Refusal {
  readonly refused: readonly string[];
}

/** Refuses a text with these problems (each reported as `<NAME> <problem>`). */
export const refuse = (...problems: string[]): Refusal => ({ refused: problems });

/** `must be … (got "…")`; a secret's refusal must not show it (use `refuse` without the value). */
export const mustBe = (expected: string, raw: string): Refusal =>
  refuse(`must be ${expected} (got ${JSON.stringify(raw)})`);

/**
 * One optional variable: `fallback` when unset, else what `parse` makes of its text, or the problem it
 * reports (prefixed with the variable's name by `parseEnvironment`).
 */
export function variable<T>(parse: (raw: string) => T | Refusal, fallback: T) {
  return z
    .string()
    .optional()
    .transform((raw, context): T => {
      if (raw === undefined) return fallback;
      const parsed = parse(raw);
      if (isRefusal(parsed)) {
        for (const message of parsed.refused) context.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return parsed;
    });
}

/** An integer in `[min, max]`; `described` replaces "an integer between min and max" in the message. */
export function integerVariable<F extends number | undefined>(
  range: { readonly min: number; readonly max: number; readonly described?: string },
  fallback: F,
) {
  return variable<number | F>((raw) => {
    const value = Number(raw);
    if (raw.trim() !== '' && Number.isInteger(value) && value >= range.min && value <= range.max)
      return value;
    return mustBe(range.described ?? `an integer between ${range.min} and ${range.max}`, raw);
  }, fallback);
}

/** One of `choices`. */
export function choiceVariable<const C extends readonly string[]>(choices: C, fallback: C[number]) {
  return variable<C[number]>(
    (raw) => (choices.includes(raw) ? raw : mustBe(choices.join(' or '), raw)),
    fallback,
  );
}

/** `on` or `off`, as a boolean. */
export function onOffVariable(fallback: boolean) {
  return variable<boolean>(
    (raw) => (raw === 'on' || raw === 'off' ? raw === 'on' : mustBe('on or off', raw)),
    fallback,
  );
}

/**
 * Parses the environment with a feature's schema (one entry per variable). `crossChecks` are problems
 * no single variable shows (e.g. one required in cluster mode); they are reported with the others.
 * Throws `BootstrapSettingsError` listing every problem.
 */
export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  environment: Environment,
  crossChecks: readonly string[] = [],
): z.output<S> {
  const result = schema.safeParse(environment);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)),
    ...crossChecks,
  ];
  if (problems.length > 0 || !result.success) throw new BootstrapSettingsError(problems);
  return result.data;
}

function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'refused' in value;
}
