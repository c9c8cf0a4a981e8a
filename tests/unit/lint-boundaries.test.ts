/**
 * Issue 17, point 4: the layers' boundaries are kept by the linter. Each case lints a
 * deliberate violation as if it were a file in that folder and expects the rule to refuse
 * it; the allowed twin of each case passes, so the rules are not simply refusing everything.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const CASES: { name: string; file: string; bad: string; good: string; rule: string }[] = [
  {
    name: 'ui may not import yjs',
    file: 'src/ui/zz-case.ts',
    bad: "import * as Y from 'yjs';\nexport const a = Y;\n",
    good: "import { Notebook } from '../model/index.ts';\nexport const a = Notebook;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'ui may not import model internals',
    file: 'src/ui/zz-case.ts',
    bad: "import { setField } from '../model/commands/write.ts';\nexport const a = setField;\n",
    good: "import { VitrineError } from '../model/errors.ts';\nexport const a = VitrineError;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'ui in a feature folder may not import yjs either',
    file: 'src/ui/people/zz-case.ts',
    bad: "import { Doc } from 'yjs';\nexport const a = Doc;\n",
    good: "import { Notebook } from '../../model/index.ts';\nexport const a = Notebook;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'ui in a feature folder may not import model internals',
    file: 'src/ui/people/zz-case.ts',
    bad: "import { listPeople } from '../../model/read.ts';\nexport const a = listPeople;\n",
    good: "import { listPeople } from '../../model/index.ts';\nexport const a = listPeople;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'model commands may not import the ui (nested folder)',
    file: 'src/model/commands/zz-case.ts',
    bad: "import { FieldEdits } from '../../ui/app-context.ts';\nexport const a = FieldEdits;\n",
    good: "import { formatDay } from '../../time/dates.ts';\nexport const a = formatDay;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'analysis imports nothing of ours but its snapshot type',
    file: 'src/analysis/zz-case.ts',
    bad: "import { Notebook } from '../model/index.ts';\nexport const a = Notebook;\n",
    good: "import type { SnapshotPerson } from './snapshot.ts';\nexport type A = SnapshotPerson;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'analysis imports no yjs',
    file: 'src/analysis/zz-case.ts',
    bad: "import * as Y from 'yjs';\nexport const a = Y;\n",
    good: "import { formatDay } from '../time/dates.ts';\nexport const a = formatDay;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'analysis imports no layer above it (graph)',
    file: 'src/analysis/zz-case.ts',
    bad: "import { legendItems } from '../graph/legend.ts';\nexport const a = legendItems;\n",
    good: "import type { GraphSnapshot } from './snapshot.ts';\nexport type A = GraphSnapshot;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'io never builds Yjs types',
    file: 'src/io/zz-case.ts',
    bad: "import * as Y from 'yjs';\nexport const a = new Y.Map<unknown>();\n",
    good: "import * as Y from 'yjs';\nexport const a = (d: Y.Doc) => Y.encodeStateAsUpdate(d);\n",
    rule: 'no-restricted-syntax',
  },
  {
    name: 'io knows no UI',
    file: 'src/io/zz-case.ts',
    bad: "import { html } from 'lit';\nexport const a = html;\n",
    good: "import { toTime } from '../time/dates.ts';\nexport const a = toTime;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'only src/graph imports cytoscape',
    file: 'src/ui/zz-case.ts',
    bad: "import cytoscape from 'cytoscape';\nexport const a = cytoscape;\n",
    good: "import { html } from 'lit';\nexport const a = html;\n",
    rule: 'no-restricted-imports',
  },
];

describe('layer boundaries in eslint.config.js', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const bad = await problems(c.file, c.bad);
      expect(bad.some((m) => m.startsWith(`${c.rule}:`))).toBe(true);
      expect(await problems(c.file, c.good)).toEqual([]);
    });
  }
});

/**
 * `npm run lint:cycles` exactly as package.json has it, run in a scratch project whose
 * `src/` holds `files`: its exit code (0: no cycle) and what it printed.
 */
async function cycleCheck(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {
    scripts: Record<string, string>;
  };
  const dir = await mkdtemp(join(tmpdir(), 'vt-cycles-'));
  try {
    await mkdir(join(dir, 'src'));
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(dir, 'src', name), text);
    }
    const bin = resolve('node_modules/.bin');
    return await promisify(execFile)('sh', ['-c', pkg.scripts['lint:cycles']!], {
      cwd: dir,
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    }).then(
      ({ stdout }) => ({ code: 0, out: stdout }),
      (e: { code?: number; stdout?: string }) => ({ code: e.code ?? -1, out: e.stdout ?? '' }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the import-cycle check (npm run lint:cycles)', () => {
  it('fails on a cycle of value imports and passes when one side imports only a type', async () => {
    const a = "import { b } from './b.ts';\nexport const a = (): unknown => b;\n";
    const cyclic = await cycleCheck({
      'a.ts': a,
      'b.ts': "import { a } from './a.ts';\nexport const b = (): unknown => a;\n",
    });
    expect(cyclic.code).toBe(1);
    expect(cyclic.out).toMatch(/a\.ts|b\.ts/);
    // A type-only import is erased at build time: no cycle at run time, none reported.
    const typeOnly = await cycleCheck({
      'a.ts': a,
      'b.ts': "import type { a } from './a.ts';\nexport const b = (x: typeof a): unknown => x;\n",
    });
    expect(typeOnly).toMatchObject({ code: 0 });
  }, 60_000);
});
