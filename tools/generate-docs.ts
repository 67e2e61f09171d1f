import { renderParameterDocs } from '@switchboard/config';
import { renderProtocolDocSections } from '@switchboard/protocol';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Writes the documents (or document sections) generated from code; CI fails when they are stale.
if (process.argv.includes('--help')) {
  console.log(
    'Usage: npm run docs:generate\n' +
      'Rewrites docs/parameters.md from the parameter registry and the generated sections of\n' +
      'docs/protocol.md (error codes, event codes) from libs/protocol.',
  );
  process.exit(0);
}
const docs = join(__dirname, '..', '..', 'docs');
writeFileSync(join(docs, 'parameters.md'), renderParameterDocs());
console.log(`wrote ${join(docs, 'parameters.md')}`);
const protocol = join(docs, 'protocol.md');
writeFileSync(protocol, renderProtocolDocSections(readFileSync(protocol, 'utf8')));
console.log(`updated the generated sections of ${protocol}`);
