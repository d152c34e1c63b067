import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitWidths, renderTable, terminalWidth, truncate } from '../../src/cli/table.js';

const columns = [{ header: 'NAME' }, { header: 'STATE', colour: () => 'green' as const }, { header: 'PID', align: 'right' as const }];

test('a table that fits is as wide as its widest cells, right-aligned where asked', () => {
  const text = renderTable(columns, [['web', 'RUNNING', '42'], ['database', 'STOPPED', '-']], { width: 80, colour: false });
  assert.equal(text, ['NAME      STATE    PID', 'web       RUNNING   42', 'database  STOPPED    -'].join('\n'));
});

test('a table wider than the terminal shrinks its widest column and ends its cells in …', () => {
  const long = 'a-very-long-process-name-that-goes-on-and-on-and-on-beyond-reason';
  const text = renderTable(columns, [[long, 'RUNNING', '4242']], { width: 40, colour: false });
  const lines = text.split('\n');
  assert.ok(lines.every((line) => line.length <= 40), text);
  assert.match(lines[1]!, /^a-very-long-process-name…\s+RUNNING\s+4242$/);
  assert.equal(lines[1]!.length, 40);
});

test('a fixed column (a fleet\'s HOST) keeps its width: the widest other column narrows instead', () => {
  assert.deepEqual(fitWidths([16, 10, 4], 28, [true, false, false]), [16, 4, 4]);
  assert.deepEqual(fitWidths([16, 10, 4], 28), [10, 10, 4]);
});

test('columns never shrink below a readable minimum: the table overflows instead', () => {
  assert.deepEqual(fitWidths([10, 10, 10], 5), [3, 3, 3]);
});

test('colour is applied after padding, only to the cells of coloured columns', () => {
  const text = renderTable(columns, [['web', 'RUNNING', '1']], { width: 80, colour: true });
  assert.equal(text.split('\n')[1], 'web   \u001b[32mRUNNING\u001b[0m    1');
});

test('truncate keeps short text and marks cut text with …', () => {
  assert.equal(truncate('short', 10), 'short');
  assert.equal(truncate('exactly', 7), 'exactly');
  assert.equal(truncate('truncated', 5), 'trun…');
});

test('the width is 80 when stdout is not a terminal', () => {
  assert.equal(terminalWidth({ isTTY: false, columns: 200 } as unknown as NodeJS.WriteStream), 80);
  assert.equal(terminalWidth({ isTTY: true, columns: 132 } as unknown as NodeJS.WriteStream), 132);
});
