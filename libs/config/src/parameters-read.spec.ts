import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARAMETERS } from './parameter-registry';

const ROOT = join(__dirname, '..', '..', '..');

/** The TypeScript sources of the services (libs and apps), without tests, test helpers or the registry itself. */
function serviceSources(): string[] {
  const sources: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory() && !['node_modules', 'testing'].includes(entry.name)) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(entry.name))
        sources.push(readFileSync(path, 'utf8'));
    }
  };
  for (const top of ['libs', 'apps'])
    for (const project of readdirSync(join(ROOT, top)))
      if (!(top === 'libs' && project === 'config')) walk(join(ROOT, top, project, 'src'));
  return sources;
}

// A parameter nobody reads is a setting that does nothing: every registered one is read by some service.
describe('every registered parameter', () => {
  const sources = serviceSources();
  it.each(Object.keys(PARAMETERS))('%s is read outside the registry', (name) => {
    expect(sources.some((source) => source.includes(`'${name}'`))).toBe(true);
  });
});
