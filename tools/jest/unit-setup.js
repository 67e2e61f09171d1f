// Several unit suites start the embedded product in-process (real sockets, SQLite) and wait on it.
// Jest's default 5 s per test is a speed assertion in disguise: on a loaded 2-core machine those
// tests pass slowly rather than fail. Speed is measured by `npm run bench`, never here, so unit
// tests get room; a hung test still fails after 30 s.
jest.setTimeout(30_000);
