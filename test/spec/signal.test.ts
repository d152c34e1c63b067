import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSignal, readSignal } from '../../src/spec/index.js';

describe('signals', () => {
  const accepted: [string | number, string][] = [
    ['SIGTERM', 'SIGTERM'],
    ['TERM', 'SIGTERM'],
    ['term', 'SIGTERM'],
    ['sigkill', 'SIGKILL'],
    [15, 'SIGTERM'],
    ['9', 'SIGKILL'],
    ['SIGUSR1', 'SIGUSR1'],
    ['hup', 'SIGHUP'],
    ['15', 'SIGTERM'],
    // Numbers with two names take the first Node lists: SIGABRT, not SIGIOT; SIGIO, not SIGPOLL.
    [6, 'SIGABRT'],
    [29, 'SIGIO'],
  ];
  for (const [input, name] of accepted) {
    test(`${JSON.stringify(input)} is ${name}`, () => assert.equal(parseSignal(input), name));
  }

  for (const input of ['SIGFOO', 'FOO', '', 'SIG', 0, 99, -15, 15.5, 'SIGTERM; rm -rf /', '1e1', '9 ', ' 9']) {
    test(`${JSON.stringify(input)} is rejected`, () => {
      assert.equal(readSignal(input).ok, false);
      assert.throws(() => parseSignal(input), { name: 'RangeError', message: /invalid signal/ });
    });
  }
});
