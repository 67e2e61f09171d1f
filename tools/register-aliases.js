// Resolves `@switchboard/<lib>` to the compiled library under dist/ at run time, the way
// tsconfig.base.json's `paths` do at compile time. Loaded with `node -r ./tools/register-aliases.js`.
const Module = require('node:module');
const path = require('node:path');

const distRoot = path.resolve(__dirname, '..', 'dist');
const originalResolve = Module._resolveFilename;

Module._resolveFilename = function resolveSwitchboardAlias(request, ...rest) {
  if (request === '@switchboard/tyntec-fake') {
    return originalResolve.call(this, path.join(distRoot, 'tools', 'tyntec-fake', 'index.js'), ...rest);
  }
  const match = /^@switchboard\/([a-z-]+)(\/testing)?$/.exec(request);
  if (match) {
    const entry = match[2] ? 'testing/index.js' : 'index.js';
    return originalResolve.call(this, path.join(distRoot, 'libs', match[1], 'src', entry), ...rest);
  }
  return originalResolve.call(this, request, ...rest);
};
