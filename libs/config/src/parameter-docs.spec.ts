import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderParameterDocs } from './parameter-docs';

describe('docs/parameters.md', () => {
  it('is up to date with the registry (run `npm run docs:generate` after changing a parameter)', () => {
    const onDisk = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'parameters.md'), 'utf8');
    expect(onDisk).toBe(renderParameterDocs());
  });
});
