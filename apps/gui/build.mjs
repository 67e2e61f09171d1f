// Builds the browser apps into dist/gui (run by `npm run build`; about a second):
// the visitor widget (one script, socket.io-client bundled in), the agent console and the static pages.
// Each text file also gets a brotli (.br) and a gzip (.gz) copy, served by Accept-Encoding; the source
// maps go to dist/gui-maps, which is not served.
import { build } from 'esbuild';
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const appDirectory = dirname(fileURLToPath(import.meta.url));
const outputDirectory = join(appDirectory, '..', '..', 'dist', 'gui');
const mapsDirectory = join(appDirectory, '..', '..', 'dist', 'gui-maps');
const COMPRESSED = /\.(html|js|css|svg|json|txt)$/;

rmSync(outputDirectory, { recursive: true, force: true });
rmSync(mapsDirectory, { recursive: true, force: true });
cpSync(join(appDirectory, 'static'), outputDirectory, { recursive: true });
await build({
  entryPoints: {
    widget: join(appDirectory, 'src', 'widget', 'widget.ts'),
    'console/console': join(appDirectory, 'src', 'console', 'console.ts'),
  },
  outdir: outputDirectory,
  bundle: true,
  minify: true,
  // No sourceMappingURL comment in the served scripts; the maps are kept beside the build for debugging.
  sourcemap: 'external',
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  tsconfig: join(appDirectory, 'tsconfig.json'),
  logLevel: 'warning',
});

for (const file of filesUnder(outputDirectory)) {
  if (file.endsWith('.map')) {
    const target = join(mapsDirectory, relative(outputDirectory, file));
    mkdirSync(dirname(target), { recursive: true });
    renameSync(file, target);
  } else if (COMPRESSED.test(file)) {
    const content = readFileSync(file);
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  }
}

function filesUnder(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(directory, entry.name)) : [join(directory, entry.name)],
  );
}
