// Runs a TypeScript entry point straight from the sources, compiled in memory by @swc/core with the
// same options as the jest transform, and resolves `@switchboard/<lib>` to libs/<lib>/src. For tests
// that start services as real processes without a build: `node -r ./tools/register-ts.js apps/x/src/main.ts`.
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const originalResolve = Module._resolveFilename;

Module._resolveFilename = function resolveSwitchboardSource(request, ...rest) {
  const match = /^@switchboard\/([a-z-]+)(\/testing)?$/.exec(request);
  if (match) {
    const entry = match[2] ? 'testing/index.ts' : 'index.ts';
    return originalResolve.call(this, path.join(root, 'libs', match[1], 'src', entry), ...rest);
  }
  return originalResolve.call(this, request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
