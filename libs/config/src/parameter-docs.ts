import { PARAMETERS, environmentVariableFor, type ParameterName } from './parameter-registry';
import { describeRule } from './parameter-types';

/** docs/parameters.md, rendered from the registry so that the two never disagree (CI checks it). */
export function renderParameterDocs(): string {
  const rows = (Object.keys(PARAMETERS) as ParameterName[]).map((name) => {
    const definition = PARAMETERS[name];
    const cells = [
      `\`${name}\``,
      `\`${String(definition.defaultValue)}\``,
      describeRule(definition.rule),
      `\`${environmentVariableFor(name)}\``,
      definition.description,
    ];
    // A `|` inside a cell (an LDAP filter) would end it.
    return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  });
  return [
    '# Parameters',
    '',
    '<!-- Generated from libs/config/src/parameter-registry.ts by `npm run docs:generate`; do not edit. -->',
    '',
    'Parameters are stored in the database (`parameters` table, every change audited in',
    '`parameter_audit`) and changed through the admin API. A change is published on the cluster',
    'stream and applied by every process without a restart. An environment variable, when set,',
    'overrides the stored value on that process (use it for bootstrap or emergencies only).',
    'An invalid value is refused with a message naming the parameter and its rule.',
    '',
    '| parameter | default | accepts | environment override | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
