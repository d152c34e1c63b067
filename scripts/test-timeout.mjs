// Loaded with --import into every test process by scripts/run-tests.mjs: gives each test and
// hook that sets no `timeout` of its own the one in $STATEVISOR_TEST_TIMEOUT_MS.
//
// Why this and not `node --test --test-timeout`: on Node 20 that flag bounds each test file as a
// whole (the runner's child process); inside the child, tests start with no timeout at all, so
// one stuck test holds its file, and the suite, until the file's bound. Suites (`describe`) are
// left alone: their tests inherit nothing from here and get their own bound each.
//
// How: node:test's exports are replaced by wrappers before any test file runs, and
// syncBuiltinESMExports() makes `import { test } from 'node:test'` see them. Without the
// variable set this file does nothing.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const ms = Number(process.env.STATEVISOR_TEST_TIMEOUT_MS);

if (Number.isSafeInteger(ms) && ms > 0) {
  const nodeTest = createRequire(import.meta.url)('node:test');

  /** test(name?, options?, fn?): the same arguments, with `timeout` added to options if absent. */
  const withTimeout = (args) => {
    const at = args.findIndex((arg) => arg !== null && typeof arg === 'object');
    if (at >= 0) return args[at].timeout === undefined ? args.with(at, { ...args[at], timeout: ms }) : args;
    const fn = args.findIndex((arg) => typeof arg === 'function');
    const end = fn >= 0 ? fn : args.length;
    return [...args.slice(0, end), { timeout: ms }, ...args.slice(end)];
  };
  /** hook(fn, options?) */
  const hookWithTimeout = ([fn, options]) => [fn, options?.timeout === undefined ? { ...options, timeout: ms } : options];

  const wrapTest = (original) => {
    const wrapped = (...args) => original(...withTimeout(args));
    for (const variant of ['skip', 'todo', 'only']) {
      if (typeof original[variant] === 'function') wrapped[variant] = (...args) => original[variant](...withTimeout(args));
    }
    return wrapped;
  };
  const wrapHook = (original) => (...args) => original(...hookWithTimeout(args));

  nodeTest.test = wrapTest(nodeTest.test);
  nodeTest.it = wrapTest(nodeTest.it);
  for (const hook of ['before', 'after', 'beforeEach', 'afterEach']) nodeTest[hook] = wrapHook(nodeTest[hook]);
  syncBuiltinESMExports();
}
