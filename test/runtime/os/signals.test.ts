import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { hasCode } from '../../../src/errors.js';
import { describeSignal, isSignalName, signalName, signalNumber } from '../../../src/runtime/os/signals.js';

const known: [NodeJS.Signals, number][] = [
  ['SIGHUP', 1],
  ['SIGINT', 2],
  ['SIGQUIT', 3],
  ['SIGKILL', 9],
  ['SIGUSR1', 10],
  ['SIGTERM', 15],
  ['SIGCHLD', 17],
  ['SIGCONT', 18],
  ['SIGSTOP', 19],
  ['SIGWINCH', 28],
];

for (const [name, number] of known) {
  test(`${name} is signal ${number}, both ways`, () => {
    assert.equal(signalNumber(name), number);
    assert.equal(signalName(number), name);
    assert.equal(describeSignal(name), `${name} (${number})`);
    assert.equal(describeSignal(number), `${name} (${number})`);
  });
}

test('aliases resolve to their number, which reads back as the canonical name', () => {
  assert.equal(signalNumber('SIGIOT'), 6);
  assert.equal(signalName(6), 'SIGABRT');
  assert.equal(signalNumber('SIGPOLL'), 29);
  assert.equal(signalName(29), 'SIGIO');
});

test('every platform signal round-trips through its number', () => {
  for (const [name, number] of Object.entries(constants.signals)) {
    assert.equal(signalNumber(signalName(number)), number, name);
  }
});

for (const name of ['SIGNOPE', 'sigterm', 'TERM', '', '9', 'toString', '__proto__']) {
  test(`'${name}' is not a signal name, and the error quotes it`, () => {
    assert.equal(isSignalName(name), false);
    assert.throws(
      () => signalNumber(name),
      (error: Error) => hasCode(error, 'E_INVALID_ARGUMENT') && error.message === `unknown signal '${name}'`,
    );
    assert.throws(() => describeSignal(name), (error: Error) => hasCode(error, 'E_INVALID_ARGUMENT'));
  });
}

for (const number of [0, -1, 65, 1.5, Number.NaN]) {
  test(`${number} is not a signal number`, () => {
    assert.throws(
      () => signalName(number),
      (error: Error) => hasCode(error, 'E_INVALID_ARGUMENT') && error.message.includes(`'${number}'`),
    );
  });
}
