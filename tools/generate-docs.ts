import { renderParameterDocs } from '@switchboard/config';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Writes the documents generated from code; CI fails when they are stale.
if (process.argv.includes('--help')) {
  console.log('Usage: npm run docs:generate\nRewrites docs/parameters.md from the parameter registry.');
  process.exit(0);
}
const target = join(__dirname, '..', '..', 'docs', 'parameters.md');
writeFileSync(target, renderParameterDocs());
console.log(`wrote ${target}`);
