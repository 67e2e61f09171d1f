// Builds the browser apps into dist/gui (run by `npm run build`; about a second):
// the visitor widget (one script, socket.io-client bundled in), the agent console and the static pages.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDirectory = dirname(fileURLToPath(import.meta.url));
const outputDirectory = join(appDirectory, '..', '..', 'dist', 'gui');

rmSync(outputDirectory, { recursive: true, force: true });
cpSync(join(appDirectory, 'static'), outputDirectory, { recursive: true });
await build({
  entryPoints: {
    widget: join(appDirectory, 'src', 'widget', 'widget.ts'),
    'console/console': join(appDirectory, 'src', 'console', 'console.ts'),
  },
  outdir: outputDirectory,
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  tsconfig: join(appDirectory, 'tsconfig.json'),
  logLevel: 'warning',
});
