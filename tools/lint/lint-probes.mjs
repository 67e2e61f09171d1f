// Lints source texts placed at given paths with the workspace's own config, without type
// information (the boundary rules need none). Reads [{ file, code }] as JSON on stdin and writes
// the rule ids each one breaks. Used by lint-boundaries.spec.ts: ESLint loads its config with a
// dynamic import, which jest's module sandbox cannot do.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { resolve } from 'node:path';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const probes = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });
const results = [];
for (const { file, code } of probes) {
  const [result] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, { filePath: resolve(file) });
  results.push(result.messages.map((message) => message.ruleId ?? message.message));
}
process.stdout.write(JSON.stringify(results));
