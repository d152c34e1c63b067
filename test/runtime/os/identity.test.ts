import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCode } from '../../../src/errors.js';
import { noLoginShell, resolveGroup, resolveUser } from '../../../src/runtime/os/identity.js';

const passwd = [
  '# accounts for the identity tests',
  'root:x:0:0:root:/root:/bin/bash',
  'svc:x:1001:2001:Service Account,,,:/srv/svc:/bin/sh',
  '',
  'broken:x:notanumber:1:bad uid:/nowhere:/bin/false',
  'short:x:1002',
  '+nis',
  '-excluded:x:1003:1003::/:/bin/sh',
  'svc:x:1999:1999:duplicate, shadowed by the first:/dup:/bin/sh',
  'empty:x:1004:1004:::',
  'big:x:4294967295:1:(uid_t)-1 is not an id:/:/bin/sh',
].join('\n');

const group = ['# groups for the identity tests', 'root:x:0:', 'svcgrp:x:2001:svc,other', 'nogid:x::', '+'].join('\n');

describe('resolveUser and resolveGroup', () => {
  let dir = '';
  let passwdPath = '';
  let groupPath = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'statevisor-identity-'));
    passwdPath = join(dir, 'passwd');
    groupPath = join(dir, 'group');
    await writeFile(passwdPath, passwd);
    await writeFile(groupPath, group);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const users: [string, ReturnType<typeof resolveUser>][] = [
    ['svc', { uid: 1001, gid: 2001, name: 'svc', home: '/srv/svc', shell: '/bin/sh' }],
    ['1001', { uid: 1001, gid: 2001, name: 'svc', home: '/srv/svc', shell: '/bin/sh' }],
    ['0', { uid: 0, gid: 0, name: 'root', home: '/root', shell: '/bin/bash' }],
    ['empty', { uid: 1004, gid: 1004, name: 'empty', home: '', shell: '' }],
    ['54321', { uid: 54321, gid: 54321, name: '54321', home: '/', shell: noLoginShell }],
    // Lookups by name stop at the first svc; by uid, the second one's line is still found.
    ['1999', { uid: 1999, gid: 1999, name: 'svc', home: '/dup', shell: '/bin/sh' }],
  ];
  for (const [query, expected] of users) {
    test(`user '${query}' resolves to uid ${expected.uid}`, () => {
      assert.deepEqual(resolveUser(query, passwdPath), expected);
    });
  }

  const unknownUsers = ['nobodyx', 'broken', 'short', 'nis', 'excluded', '+nis', 'Svc'];
  for (const name of unknownUsers) {
    test(`user '${name}' is not found, and the error quotes it`, () => {
      assert.throws(
        () => resolveUser(name, passwdPath),
        (error: Error) =>
          hasCode(error, 'E_START_FAILED') && error.message === `user '${name}' not found in ${passwdPath}`,
      );
    });
  }

  for (const bad of ['', 'a:b', '4294967295', '99999999999999999999']) {
    test(`user '${bad}' is rejected as neither a name nor an id`, () => {
      assert.throws(
        () => resolveUser(bad, passwdPath),
        (error: Error) => hasCode(error, 'E_START_FAILED') && error.message.includes(`'${bad}'`),
      );
    });
  }

  test('groups resolve by name and by id; an unlisted id is accepted as is', () => {
    assert.deepEqual(resolveGroup('svcgrp', groupPath), { gid: 2001, name: 'svcgrp' });
    assert.deepEqual(resolveGroup('2001', groupPath), { gid: 2001, name: 'svcgrp' });
    assert.deepEqual(resolveGroup('0', groupPath), { gid: 0, name: 'root' });
    assert.deepEqual(resolveGroup('7777', groupPath), { gid: 7777, name: '7777' });
  });

  for (const name of ['staffx', 'nogid', '+']) {
    test(`group '${name}' is not found, and the error quotes it`, () => {
      assert.throws(
        () => resolveGroup(name, groupPath),
        (error: Error) => hasCode(error, 'E_START_FAILED') && error.message.includes(`group '${name}' not found`),
      );
    });
  }

  test('a missing database still resolves numeric ids but no names', () => {
    const missing = join(dir, 'no-such-passwd');
    assert.deepEqual(resolveUser('1000', missing), { uid: 1000, gid: 1000, name: '1000', home: '/', shell: noLoginShell });
    assert.throws(() => resolveUser('svc', missing), (error: Error) => hasCode(error, 'E_START_FAILED'));
    assert.deepEqual(resolveGroup('50', join(dir, 'no-such-group')), { gid: 50, name: '50' });
  });

  test('an unreadable database is an error naming it', () => {
    assert.throws(
      () => resolveUser('svc', dir),
      (error: Error) => hasCode(error, 'E_START_FAILED') && error.message.includes(dir),
    );
  });

  test('the real root user and group, from the system files', () => {
    const root = resolveUser('root');
    assert.equal(root.uid, 0);
    assert.equal(root.gid, 0);
    assert.equal(root.name, 'root');
    assert.equal(root.home, '/root');
    assert.deepEqual(resolveUser('0'), root);
    assert.deepEqual(resolveGroup('root'), { gid: 0, name: 'root' });
    assert.throws(() => resolveUser('nobodyx'), /user 'nobodyx' not found in \/etc\/passwd/);
  });
});
