import { z } from 'zod';
import { loadBootstrapSettings } from './bootstrap-settings';
import {
  BootstrapSettingsError,
  choiceVariable,
  integerVariable,
  onOffVariable,
  parseEnvironment,
  refuse,
  variable,
} from './environment';

const schema = z.object({
  SPEC_MODE: choiceVariable(['fast', 'slow'], 'fast'),
  SPEC_LIMIT: integerVariable({ min: 1, max: 10 }, 5),
  SPEC_SWITCH: onOffVariable(true),
  SPEC_SECRET: variable<string | undefined>(
    (raw) => (raw.length >= 8 ? raw : refuse('must be at least 8 characters')),
    undefined,
  ),
});

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof BootstrapSettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected a BootstrapSettingsError');
}

describe('parseEnvironment', () => {
  it('gives the defaults for an empty environment and parses what is set', () => {
    expect(parseEnvironment(schema, {})).toEqual({
      SPEC_MODE: 'fast',
      SPEC_LIMIT: 5,
      SPEC_SWITCH: true,
      SPEC_SECRET: undefined,
    });
    expect(
      parseEnvironment(schema, {
        SPEC_MODE: 'slow',
        SPEC_LIMIT: '10',
        SPEC_SWITCH: 'off',
        SPEC_SECRET: '12345678',
      }),
    ).toEqual({ SPEC_MODE: 'slow', SPEC_LIMIT: 10, SPEC_SWITCH: false, SPEC_SECRET: '12345678' });
  });

  it('reports every problem at once, each as "<NAME> must be … (got …)", with the cross checks', () => {
    const problems = problemsOf(() =>
      parseEnvironment(schema, { SPEC_MODE: 'medium', SPEC_LIMIT: '', SPEC_SWITCH: 'yes' }, [
        'SPEC_OTHER must be set in cluster mode',
      ]),
    );
    expect(problems).toEqual([
      'SPEC_MODE must be fast or slow (got "medium")',
      'SPEC_LIMIT must be an integer between 1 and 10 (got "")',
      'SPEC_SWITCH must be on or off (got "yes")',
      'SPEC_OTHER must be set in cluster mode',
    ]);
  });

  it('never repeats a refused secret in its problem', () => {
    const problems = problemsOf(() => parseEnvironment(schema, { SPEC_SECRET: 'hunter2' }));
    expect(problems).toEqual(['SPEC_SECRET must be at least 8 characters']);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('keeps a database password out of the bootstrap problems', () => {
    const problems = problemsOf(() =>
      loadBootstrapSettings(
        { SWITCHBOARD_DATABASE_URL: 'postgres://app:s3cret-pass@db/x' },
        { port: 0, service: 'x' },
      ),
    );
    expect(problems).toEqual(['SWITCHBOARD_DATABASE_URL must start with sqlite:, mysql:// or mariadb://']);
    expect(problems.join('\n')).not.toContain('s3cret-pass');
  });
});
