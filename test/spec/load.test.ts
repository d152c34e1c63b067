import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { loadSpecDirectory, loadSpecFile, loadSpecs, type ProcessSpec } from '../../src/spec/index.js';
import { withTempDir } from './support.js';

describe('loading spec files', () => {
  test('a YAML file with one spec takes its name from the file name', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'web.yaml');
      await writeFile(
        file,
        ['command: /usr/bin/web', 'umask: 022', 'restart:', '  policy: no', '  delay: 250ms', 'stop:', '  grace_period_ms: 5000', ''].join('\n'),
      );
      const { specs, errors } = await loadSpecFile(file);
      assert.deepEqual(errors, []);
      assert.equal(specs.length, 1);
      const [spec] = specs;
      assert.equal(spec?.name, 'web');
      assert.equal(spec?.umask, 0o022, 'a leading zero in YAML means octal here, not decimal 22');
      assert.equal(spec?.restart.policy, 'no', 'YAML 1.2 keeps "no" a string');
      assert.equal(spec?.restart.delayMs, 250);
      assert.equal(spec?.stop.gracePeriodMs, 5000);
    }));

  test('a JSON file with { processes: [...] } loads each, and a bad entry does not stop the others', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'all.json');
      const processes = [
        { name: 'db', command: '/usr/bin/db' },
        { name: 'api', command: '/usr/bin/api', restart: { policy: 'sometimes' } },
        { name: 'web', command: '/usr/bin/web', after: ['db'] },
        { name: 'db', command: '/usr/bin/db2' },
      ];
      await writeFile(file, JSON.stringify({ processes }));
      const { specs, errors } = await loadSpecFile(file);
      assert.deepEqual(specs.map((s) => s.name), ['db', 'web']);
      assert.deepEqual(errors, [
        {
          file,
          field: 'processes[1].restart.policy',
          message: 'got "sometimes", expected one of no, always, on-failure, on-success, never (a synonym of no)',
        },
        { file, field: 'processes[3].name', message: 'name "db" is already used by processes[0]' },
      ]);
    }));

  test('a YAML list of specs needs a name in each', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'list.yml');
      await writeFile(file, '- name: a\n  command: /bin/a\n- command: /bin/b\n');
      const { specs, errors } = await loadSpecFile(file);
      assert.deepEqual(specs.map((s) => s.name), ['a']);
      assert.deepEqual(errors.map((e) => e.field), ['[1].name']);
    }));

  test('syntax errors, empty files, unknown extensions and missing files are reported, not thrown', () =>
    withTempDir(async (dir) => {
      const cases: [string, string | undefined, RegExp][] = [
        ['broken.yaml', 'command: [/bin/x\n', /^invalid YAML: /],
        ['dup.yaml', 'command: /bin/x\ncommand: /bin/y\n', /^invalid YAML: Map keys must be unique/],
        ['broken.json', '{"command": ', /^invalid JSON: /],
        ['empty.yaml', '# nothing\n', /the file is empty/],
        ['spec.toml', 'command = "/bin/x"', /unsupported file type ".toml"/],
        ['missing.yaml', undefined, /^cannot read: .*ENOENT/],
      ];
      for (const [name, content, message] of cases) {
        const file = join(dir, name);
        if (content !== undefined) await writeFile(file, content);
        const { specs, errors } = await loadSpecFile(file);
        assert.deepEqual(specs, []);
        assert.equal(errors.length, 1, name);
        assert.equal(errors[0]?.file, file);
        assert.match(errors[0]?.message ?? '', message);
      }
    }));
});

describe('loading spec files: the forms of a file, and where each error is', () => {
  /** Loads `content` as `name` in a fresh directory: the specs' names and the errors, file by base name. */
  async function load(name: string, content: string | Buffer) {
    let out: { names: string[]; errors: { file: string; field?: string; message: string }[]; specs: ProcessSpec[] } | undefined;
    await withTempDir(async (dir) => {
      const file = join(dir, name);
      await writeFile(file, content);
      const { specs, errors } = await loadSpecFile(file);
      out = { names: specs.map((s) => s.name), specs, errors: errors.map((e) => ({ ...e, file: basename(e.file) })) };
    });
    return out!;
  }

  test('a single spec\'s errors name its fields without a prefix', async () => {
    assert.deepEqual((await load('web.yaml', 'command: /bin/web\nrestart: { policy: sometimes }\n')).errors, [
      { file: 'web.yaml', field: 'restart.policy', message: 'got "sometimes", expected one of no, always, on-failure, on-success, never (a synonym of no)' },
    ]);
  });

  test('a list of one spec still needs its name: the file name is for a file of one spec', async () => {
    const { names, errors } = await load('web.yaml', '- command: /bin/web\n');
    assert.deepEqual(names, []);
    assert.deepEqual(errors.map((e) => e.field), ['[0].name']);
  });

  test('an entry that is not a spec is named by its place, and an odd key in one by its quoted name', async () => {
    const { errors } = await load('all.yaml', '- 42\n- name: b\n  command: /bin/b\n  my-key: 1\n');
    assert.deepEqual(errors.map((e) => e.field), ['[0]', '[1]["my-key"]']);
    const nested = await load('all.json', JSON.stringify({ processes: [7] }));
    assert.deepEqual(nested.errors.map((e) => e.field), ['processes[0]']);
  });

  test('{ processes } holds a list and nothing beside it', async () => {
    const beside = await load('all.yaml', 'processes:\n  - name: a\n    command: /bin/a\nversion: 2\n');
    assert.deepEqual(beside.names, ['a']);
    assert.deepEqual(beside.errors, [{ file: 'all.yaml', field: 'version', message: 'no field of this name beside processes' }]);
    const notAList = await load('all.yaml', 'processes:\n  name: a\n  command: /bin/a\n');
    assert.deepEqual(notAList, { names: [], specs: [], errors: [{ file: 'all.yaml', field: 'processes', message: 'expected a list of process specs' }] });
  });

  test('YAML values keep their types; integers with a leading zero are text, as written', async () => {
    const { specs, errors } = await load('web.yaml', 'command: /bin/chmod\nargs: [0755, 8080, true]\nauto_start: true\numask: 027\n');
    assert.deepEqual(errors, []);
    assert.deepEqual(specs[0]?.args, ['0755', '8080', 'true']);
    assert.equal(specs[0]?.autoStart, true);
    assert.equal(specs[0]?.umask, 0o027);
  });

  test('a .json file is JSON, even when it would read as YAML', async () => {
    const { errors } = await load('web.json', 'command: /bin/web\n');
    assert.match(errors[0]?.message ?? '', /^invalid JSON: /);
    assert.equal(errors.length, 1);
  });

  test('a YAML syntax error says where it is', async () => {
    const { errors } = await load('web.yaml', 'command: /bin/web\n  bad: [\n');
    assert.match(errors[0]?.message ?? '', /^invalid YAML: .* at line \d+, column \d+:$/);
  });

  test('an unknown extension lists the known ones', async () => {
    assert.deepEqual((await load('web.toml', 'command = "/bin/web"\n')).errors, [
      { file: 'web.toml', message: 'unsupported file type ".toml": expected .yaml, .yml, .json' },
    ]);
  });

  test('a file of 4 MiB is read; one byte more is refused unread', async () => {
    const spec = JSON.stringify({ command: '/bin/web' });
    const max = 4 * 1024 * 1024;
    assert.deepEqual((await load('web.json', spec.padEnd(max, ' '))).names, ['web']);
    assert.deepEqual((await load('web.json', spec.padEnd(max + 1, ' '))).errors, [
      { file: 'web.json', message: `file of ${max + 1} bytes: expected at most ${max}` },
    ]);
  });
});

describe('loading a config directory', () => {
  test('files load in code-point order, whatever order the directory lists them in', () =>
    withTempDir(async (dir) => {
      const names = ['b', 'e', 'a', 'd', 'c', 'B', 'a2'];
      for (const name of names) await writeFile(join(dir, `${name}.yaml`), 'command: /bin/x\n');
      assert.deepEqual((await loadSpecDirectory(dir)).specs.map((s) => s.name), ['B', 'a', 'a2', 'b', 'c', 'd', 'e']);
    }));

  test('a file holding { processes } is refused like a list: one process per file', () =>
    withTempDir(async (dir) => {
      await writeFile(join(dir, 'all.yaml'), 'processes:\n  - name: a\n    command: /bin/a\n');
      assert.deepEqual((await loadSpecDirectory(dir)).errors, [
        { file: join(dir, 'all.yaml'), message: 'a file in a config directory holds one process, not a list' },
      ]);
    }));

  test('one process per file, alphabetical, and a bad file does not stop the others', () =>
    withTempDir(async (dir) => {
      await writeFile(join(dir, 'b-api.yaml'), 'command: /usr/bin/api\nrestart:\n  policy: sometimes\n');
      await writeFile(join(dir, 'c-web.yml'), 'command: /usr/bin/web\nafter: [a-db]\n');
      await writeFile(join(dir, 'a-db.json'), JSON.stringify({ command: '/usr/bin/db' }));
      await writeFile(join(dir, 'd-named.yaml'), 'name: proxy\ncommand: /usr/bin/proxy\n');
      await writeFile(join(dir, 'e-broken.yaml'), 'command: [\n');
      await writeFile(join(dir, 'f-list.yaml'), '- name: x\n  command: /bin/x\n');
      await writeFile(join(dir, 'g-dup.yaml'), 'name: a-db\ncommand: /bin/x\n');
      await writeFile(join(dir, 'README.md'), '# not a spec\n');
      await writeFile(join(dir, '.hidden.yaml'), 'command: /bin/hidden\n');
      await mkdir(join(dir, 'sub.yaml'));

      const { specs, errors } = await loadSpecDirectory(dir);
      assert.deepEqual(specs.map((s) => s.name), ['a-db', 'c-web', 'proxy']);
      assert.deepEqual(
        errors.map((e) => [e.file, e.field, e.message.split(':')[0]]),
        [
          [join(dir, 'b-api.yaml'), 'restart.policy', 'got "sometimes", expected one of no, always, on-failure, on-success, never (a synonym of no)'],
          [join(dir, 'e-broken.yaml'), undefined, 'invalid YAML'],
          [join(dir, 'f-list.yaml'), undefined, 'a file in a config directory holds one process, not a list'],
          [join(dir, 'g-dup.yaml'), 'name', `name "a-db" is already used by ${join(dir, 'a-db.json')}`],
        ],
      );
    }));

  test('a file name that is not a process name is reported as the name', () =>
    withTempDir(async (dir) => {
      await writeFile(join(dir, 'my app.yaml'), 'command: /bin/x\n');
      const { errors } = await loadSpecDirectory(dir);
      assert.deepEqual(
        errors.map((e) => [e.field, e.message]),
        [['name', 'got "my app", expected a process name matching ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ (taken from the file name, as the spec has no name)']],
      );
    }));

  test('loadSpecs reads a file or a directory', () =>
    withTempDir(async (dir) => {
      await writeFile(join(dir, 'one.yaml'), 'command: /bin/one\n');
      assert.deepEqual((await loadSpecs(dir)).specs.map((s) => s.name), ['one']);
      assert.deepEqual((await loadSpecs(join(dir, 'one.yaml'))).specs.map((s) => s.name), ['one']);
    }));
});

test('a worker\'s runtime.module written ./ or ../ in a config file is beside that file', async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'conf'));
    await writeFile(join(dir, 'conf', 'svc.yaml'), 'runtime: { kind: worker, module: ./svc.mjs }\n');
    await writeFile(join(dir, 'conf', 'up.yaml'), 'runtime: { kind: worker, module: ../lib/up.mjs }\n');
    const { specs, errors } = await loadSpecDirectory(join(dir, 'conf'));
    assert.deepEqual(errors, []);
    assert.deepEqual(
      specs.map((s) => s.runtime.module),
      [join(dir, 'conf', 'svc.mjs'), join(dir, 'lib', 'up.mjs')],
    );
  });
});

test('the examples/workers config loads: two worker threads and one OS process, their modules beside it', async () => {
  const dir = new URL('../../../examples/workers/', import.meta.url).pathname;
  const { specs, errors } = await loadSpecDirectory(dir);
  assert.deepEqual(errors, []);
  assert.deepEqual(specs.map((s) => s.runtime.kind).sort(), ['exec', 'worker', 'worker']);
  for (const spec of specs.filter((s) => s.runtime.kind === 'worker')) assert.ok(spec.runtime.module?.startsWith(dir), spec.runtime.module);
});
