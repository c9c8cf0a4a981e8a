/**
 * Issue 17, point 4: the layers' boundaries are kept by the linter. Each case lints a
 * deliberate violation as if it were a file in that folder and expects the rule to refuse
 * it; the allowed twin of each case passes, so the rules are not simply refusing everything.
 */
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
