import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCode } from '../../../src/errors.js';
import { parseEnvFile, readEnvFiles } from '../../../src/runtime/os/env-file.js';

const parsed: [string, string, Record<string, string>][] = [
  ['a plain assignment', 'KEY=value', { KEY: 'value' }],
  ['blank lines and comments', '\n# comment\n   # indented comment\n\nA=1\n\n', { A: '1' }],
  ['an export prefix', 'export PATH_EXTRA=/opt/bin', { PATH_EXTRA: '/opt/bin' }],
  ['a key named export', 'export=yes', { export: 'yes' }],
  ['unquoted values trimmed', 'KEY=   spaced value   ', { KEY: 'spaced value' }],
  ['spaces around the equals sign', '  KEY = v', { KEY: 'v' }],
  ['an inline comment after whitespace', 'KEY=value # note', { KEY: 'value' }],
  ['a tab before the inline comment', 'KEY=value\t# note', { KEY: 'value' }],
  ['a hash inside a word', 'URL=http://host/#frag', { URL: 'http://host/#frag' }],
  ['a value that is only a comment', 'KEY= # nothing', { KEY: '' }],
  ['an empty value', 'KEY=', { KEY: '' }],
  ['equals signs in the value', 'KEY=a=b=c', { KEY: 'a=b=c' }],
  ['single quotes literal', `KEY='a \\n "b" $HOME # not a comment'`, { KEY: 'a \\n "b" $HOME # not a comment' }],
  ['single quotes keep surrounding spaces', "KEY='  padded  '", { KEY: '  padded  ' }],
  ['double-quote escapes', 'KEY="line1\\nline2 \\"q\\" back\\\\slash"', { KEY: 'line1\nline2 "q" back\\slash' }],
  ['an unknown escape keeps its backslash', 'KEY="C:\\dir"', { KEY: 'C:\\dir' }],
  ['a comment after a closing quote', 'KEY="v" # note', { KEY: 'v' }],
  ['a hash inside double quotes', 'KEY="a # b"', { KEY: 'a # b' }],
  ['no variable expansion', 'A=1\nB=$A', { A: '1', B: '$A' }],
  ['later lines win', 'K=1\nK=2', { K: '2' }],
  ['CRLF line endings', 'A=1\r\nB="2"\r\n', { A: '1', B: '2' }],
  ['a byte order mark', '\uFEFFA=1', { A: '1' }],
  ['underscores and digits in keys', '_X1=a\nx_2=b', { _X1: 'a', x_2: 'b' }],
];

const rejected: [string, string, number, RegExp][] = [
  ['a key starting with a digit', 'A=1\n1BAD=x', 2, /invalid key '1BAD'/],
  ['a key with a dash', 'MY-KEY=x', 1, /invalid key 'MY-KEY'/],
  ['an empty key', '=x', 1, /invalid key ''/],
  ['a line without an equals sign', 'A=1\n\nJUSTAWORD', 3, /expected KEY=VALUE, found 'JUSTAWORD'/],
  ['export without an assignment', 'export KEY', 1, /expected KEY=VALUE/],
  ['an unterminated single quote', "KEY='open", 1, /unterminated single-quoted/],
  ['an unterminated double quote', 'KEY="open\\"', 1, /unterminated double-quoted/],
  ['text after a closing quote', 'KEY="a"b', 1, /unexpected 'b' after the closing quote/],
];

describe('parseEnvFile', () => {
  for (const [what, text, expected] of parsed) {
    test(`reads ${what}`, () => {
      assert.deepEqual(parseEnvFile(text, 'app.env'), expected);
    });
  }

  for (const [what, text, line, problem] of rejected) {
    test(`rejects ${what}, naming the file and line ${line}`, () => {
      assert.throws(
        () => parseEnvFile(text, '/etc/app.env'),
        (error: Error) =>
          hasCode(error, 'E_START_FAILED') &&
          error.message.startsWith(`env file /etc/app.env, line ${line}: `) &&
          problem.test(error.message),
      );
    });
  }

  test('a __proto__ key is a plain variable, not a prototype', () => {
    const variables = parseEnvFile('__proto__=x\nA=1', 'app.env');
    assert.equal(Object.getPrototypeOf(variables), Object.prototype);
    assert.equal(Object.hasOwn(variables, '__proto__'), true);
    assert.equal(variables['__proto__'], 'x');
  });
});

describe('readEnvFiles', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'statevisor-env-'));
    await writeFile(join(dir, 'base.env'), 'A=base\nB=base\n__proto__=base\n');
    await writeFile(join(dir, 'override.env'), 'export B=override\nC="new"\n');
    await writeFile(join(dir, 'bad.env'), 'OK=1\n2BAD=x\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('later files override earlier ones', async () => {
    const variables = await readEnvFiles([join(dir, 'base.env'), join(dir, 'override.env')]);
    assert.equal(variables['A'], 'base');
    assert.equal(variables['B'], 'override');
    assert.equal(variables['C'], 'new');
    assert.equal(Object.hasOwn(variables, '__proto__'), true);
    assert.equal(Object.getPrototypeOf(variables), Object.prototype);
  });

  test('a missing optional file contributes nothing', async () => {
    const variables = await readEnvFiles([`-${join(dir, 'absent.env')}`, join(dir, 'override.env')]);
    assert.deepEqual(variables, { B: 'override', C: 'new' });
    assert.deepEqual(await readEnvFiles([]), {});
  });

  test('an optional file that exists is read', async () => {
    assert.deepEqual(await readEnvFiles([`-${join(dir, 'override.env')}`]), { B: 'override', C: 'new' });
  });

  test('a missing required file fails the start, naming it', async () => {
    const path = join(dir, 'absent.env');
    await assert.rejects(
      readEnvFiles([join(dir, 'base.env'), path]),
      (error: Error) => hasCode(error, 'E_START_FAILED') && error.message === `env file '${path}' not found`,
    );
  });

  test('an optional path that cannot be read for another reason still fails', async () => {
    await assert.rejects(
      readEnvFiles([`-${dir}`]),
      (error: Error) => hasCode(error, 'E_START_FAILED') && error.message.includes('EISDIR'),
    );
  });

  test('a parse error names the file it came from', async () => {
    await assert.rejects(
      readEnvFiles([join(dir, 'bad.env')]),
      (error: Error) => error.message.startsWith(`env file ${join(dir, 'bad.env')}, line 2: invalid key '2BAD'`),
    );
  });

  test('an empty path is rejected', async () => {
    await assert.rejects(readEnvFiles(['-']), (error: Error) => hasCode(error, 'E_START_FAILED'));
  });
});
