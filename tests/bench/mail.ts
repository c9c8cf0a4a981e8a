/**
 * Mail import benchmark (issue 15 acceptance), each figure against a baseline in the same run:
 *
 * 1. A generated 50,000-message mbox (threads among 1,000 people and the owner, a quarter
 *    of it mailing lists and newsletters, some attachments): `vitrine import`'s work
 *    (stream, split, read headers, plan, apply in one transaction) against bare header
 *    parsing of the same file — the same streamed split, then postal-mime's
 *    `PostalMime.parse` on each header block. Limit: 2×. Also reported: against our own
 *    minimal header read (split + unfold + `addressParser` of From/To/Cc), no limit.
 * 2. Peak memory (RSS) of `vitrine import` in a child process on a generated mbox of
 *    `MAIL_BENCH_MB` MiB (default 256; set 1024 for the 1 GB figure): under 300 MiB.
 *
 * Run alone: `npx tsx tests/bench/mail.ts` (`MAIL_BENCH_MB=1024` for 1 GB).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import PostalMime, { addressParser } from 'postal-mime';
import {
  Notebook,
  addPeople,
  initNotebook,
  listTouches,
  setOwnerAddresses,
} from '../../src/model/index.ts';
import { applyActivityImport } from '../../src/io/activity-import.ts';
import { planMailImport } from '../../src/io/mail-import.ts';
import { headerFields } from '../../src/io/mail.ts';
import { MailSplitter, type SplitMessage } from '../../src/io/mail-split.ts';
import { saveNotebookFile } from '../../src/io/vitrine-file.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { formatTable, row, type Row } from './row.ts';

const PEOPLE = 1_000;
const OWNER = 'me@owner.example';
const NOW = new Date('2026-07-01T00:00:00Z');
const email = (i: number) => `person${i}@example.org`;

/** A deterministic pseudo-random sequence (so every run writes the same file). */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function rfc2822(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
function asctime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

const LOREM =
  'We should meet next week to go over the plan; I have put the numbers in the sheet and the\n' +
  'draft is attached. Let me know what works for you, and whether Ana can join us as well.\n';
const B64 =
  'QmFzZTY0IGF0dGFjaG1lbnQgY29udGVudCBmb3IgdGhlIGJlbmNobWFyayBvbmx5LCBub3QgcmVhbCBkYXRhLg==\n';

/**
 * Write a generated mbox: `messages` messages, or messages until `bytes` are written
 * (bodies grow with `bodyKiB`). Returns the number of messages written.
 */
export async function writeMbox(
  path: string,
  opts: { messages?: number; bytes?: number; bodyKiB?: number },
): Promise<number> {
  const out = createWriteStream(path);
  const r = rng(42);
  const start = Date.parse('2016-01-01T00:00:00Z');
  const span = NOW.getTime() - start - 86_400_000 * 30;
  let written = 0;
  let n = 0;
  let thread = 0;
  const bodyLines = Math.max(1, Math.round(((opts.bodyKiB ?? 1) * 1024) / LOREM.length));
  const more = () =>
    opts.messages !== undefined ? n < opts.messages : written < (opts.bytes ?? 0);
  let buf = '';
  while (more()) {
    thread++;
    const kind = r(100);
    const t0 = start + Math.floor((thread / 200_000) * span) + r(86_400_000);
    const size = kind < 70 ? 1 + r(6) : 1;
    const people = [email(r(PEOPLE)), email(r(PEOPLE)), email(r(PEOPLE))].slice(0, 1 + r(3));
    const root = `<t${thread}.${r(1e9)}@mail.example>`;
    for (let k = 0; k < size && more(); k++) {
      n++;
      const at = t0 + k * (3_600_000 + r(2 * 86_400_000));
      const mine = k % 2 === 1;
      const from =
        kind < 70
          ? mine
            ? `Me <${OWNER}>`
            : `Person <${people[0]}>`
          : kind < 85
            ? `List member <${email(r(PEOPLE))}>`
            : kind < 95
              ? `Shop <no-reply@shop${r(50)}.example>`
              : `=?UTF-8?B?U3RyYW5nZXIgw4Y=?= <stranger${r(5000)}@elsewhere.example>`;
      const to = kind < 70 ? (mine ? people.join(', ') : `Me <${OWNER}>`) : `Me <${OWNER}>`;
      const cc = kind < 70 && !mine && people.length > 1 ? people.slice(1).join(', ') : '';
      const id = k === 0 ? root : `<m${n}.${r(1e9)}@mail.example>`;
      const lines = [
        `From ${from.replace(/^.*<|>$/g, '')} ${asctime(at)}`,
        `Received: from mx${r(9)}.mail.example (mx.mail.example [192.0.2.${r(250)}])`,
        `\tby mx.owner.example with ESMTPS id ${r(1e9).toString(36)} for <${OWNER}>;`,
        `\t${rfc2822(at)}`,
        `Received: from localhost by mx${r(9)}.mail.example; ${rfc2822(at)}`,
        `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=mail.example; s=s1;`,
        `\th=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;`,
        `\tb=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzRdzdVyOfAKCdLXdJ`,
        `From: ${from}`,
        `To: ${to}`,
        ...(cc ? [`Cc: ${cc}`] : []),
        `Subject: ${k ? 'Re: ' : ''}Plans for thread ${thread}`,
        `Date: ${rfc2822(at)}`,
        `Message-ID: ${id}`,
        ...(k ? [`In-Reply-To: ${root}`, `References: ${root}`] : []),
        ...(kind >= 70 && kind < 85 ? [`List-Id: <team${r(20)}.lists.example>`] : []),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
      ];
      let body = '';
      for (let b = 0; b < bodyLines; b++) body += LOREM;
      if (r(20) === 0) body += B64.repeat(200);
      buf += `${lines.join('\n')}\n${body}\n`;
      if (buf.length > 1 << 20) {
        written += buf.length;
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
  }
  written += buf.length;
  out.end(buf);
  await once(out, 'finish');
  return n;
}

function notebook(): Notebook {
  const nb = new Notebook(new Y.Doc(), { now: () => NOW });
  initNotebook(nb, 'Me');
  setOwnerAddresses(nb, [OWNER]);
  addPeople(
    nb,
    Array.from({ length: PEOPLE }, (_, i) => ({ name: `Person ${i}`, emails: [email(i)] })),
  );
  return nb;
}

async function split(path: string, each: (m: SplitMessage) => void): Promise<number> {
  let count = 0;
  const s = new MailSplitter('mbox', (m) => {
    count++;
    each(m);
  });
  for await (const chunk of createReadStream(path)) s.push(chunk as Uint8Array);
  s.end();
  return count;
}

/** Bare header parsing with postal-mime's own API: every header block through PostalMime.parse. */
async function postalAlone(path: string): Promise<number> {
  const blocks: Uint8Array[] = [];
  let people = 0;
  const flush = async () => {
    for (const b of blocks) {
      const e = await PostalMime.parse(b);
      people += (e.to?.length ?? 0) + (e.cc?.length ?? 0) + (e.from ? 1 : 0);
    }
    blocks.length = 0;
  };
  const s = new MailSplitter('mbox', (m) => blocks.push(m.header));
  for await (const chunk of createReadStream(path)) {
    s.push(chunk as Uint8Array);
    await flush();
  }
  s.end();
  await flush();
  return people;
}

/** Our minimal header read: split, unfold, addressParser on From/To/Cc. */
async function minimalAlone(path: string): Promise<number> {
  let people = 0;
  await split(path, (m) => {
    const f = headerFields(m.header);
    for (const k of ['from', 'to', 'cc'])
      for (const v of f.get(k) ?? []) people += addressParser(v, { flatten: true }).length;
  });
  return people;
}

/** CPU time of this process so far, ms (all its threads: steadier than wall-clock on a loaded machine). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function importOnce(path: string): Promise<{ ms: number; cpu: number; touches: number }> {
  const nb = notebook();
  const total = statSync(path).size;
  const c0 = cpuMs();
  const t0 = performance.now();
  const plan = await planMailImport(nb, createReadStream(path), 'bench.mbox', 'mbox', {
    now: NOW,
    total,
  });
  applyActivityImport(nb, plan);
  const ms = performance.now() - t0;
  return { ms, cpu: cpuMs() - c0, touches: listTouches(nb).length };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Peak RSS of `vitrine import` on a generated mbox of `mib` MiB, in a child process. */
export async function importPeakRss(
  dir: string,
  mib: number,
  planOnly = false,
): Promise<{ rssMiB: number; messages: number; seconds: number; summary: string }> {
  const path = join(dir, `big-${mib}.mbox`);
  const messages = existsSync(path)
    ? Number(readFileSync(`${path}.count`, 'utf8'))
    : await writeMbox(path, { bytes: mib * 1048576, bodyKiB: 6 });
  writeFileSync(`${path}.count`, String(messages));
  const nbPath = join(dir, 'big.vitrine');
  writeFileSync(nbPath, saveNotebookFile(notebook()));
  const child = fileURLToPath(new URL('./mail-child.ts', import.meta.url));
  const t0 = performance.now();
  const args = planOnly
    ? ['plan-mail', path, nbPath]
    : ['import', path, '--notebook', nbPath, '--me', OWNER];
  const res = spawnSync(process.execPath, ['--import', 'tsx', child, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  const last = res.stdout.trim().split('\n').pop() ?? '';
  let parsed: { code: number; maxRssKiB: number; summary: string };
  try {
    parsed = JSON.parse(last) as typeof parsed;
  } catch {
    throw new Error(`the import child gave no figure: ${res.stderr.slice(-2000)}`);
  }
  if (parsed.code !== 0) throw new Error(`vitrine import failed: ${res.stderr.slice(-2000)}`);
  return { rssMiB: parsed.maxRssKiB / 1024, messages, seconds, summary: parsed.summary };
}

/** Run the mail benchmarks. */
export async function benchMail(_sizes: number[] = [], runs = 3): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-mail-bench-'));
  try {
    const out: Row[] = [];
    const path = join(dir, 'bench.mbox');
    const messages = await writeMbox(path, { messages: 50_000 });
    const full: number[] = [];
    const postal: number[] = [];
    const minimal: number[] = [];
    const fullCpu: number[] = [];
    const postalCpu: number[] = [];
    let touches = 0;
    // Alternated (round -1 warms up), so load from elsewhere weighs on all alike.
    for (let r = -1; r < runs; r++) {
      const f = await importOnce(path);
      touches = f.touches;
      const c0 = cpuMs();
      let t0 = performance.now();
      await postalAlone(path);
      const p = performance.now() - t0;
      const pc = cpuMs() - c0;
      t0 = performance.now();
      await minimalAlone(path);
      const m = performance.now() - t0;
      if (r >= 0) {
        full.push(f.ms);
        postal.push(p);
        fullCpu.push(f.cpu);
        postalCpu.push(pc);
        minimal.push(m);
      }
    }
    if (!touches) throw new Error('the generated mailbox gave no touches');
    const mb = Math.round(statSync(path).size / 1048576);
    out.push(
      row(
        `import ${messages} messages (${mb} MB, ${touches} touches): stream + plan + apply`,
        median(full),
        'ms',
        { name: 'split + PostalMime.parse of each header block', value: median(postal) },
        { max: 2 },
      ),
      row(`the same, in CPU time of the process (steadier under load)`, median(fullCpu), 'ms', {
        name: 'split + PostalMime.parse of each header block, CPU time',
        value: median(postalCpu),
      }),
      row(`import ${messages} messages, against our own minimal header read`, median(full), 'ms', {
        name: 'split + unfold + addressParser(From/To/Cc)',
        value: median(minimal),
      }),
    );
    rmSync(path);
    const mib = Number(process.env.MAIL_BENCH_MB ?? 256);
    const reading = await importPeakRss(dir, mib, true);
    const big = await importPeakRss(dir, mib);
    out.push(
      row(
        `stream + plan only (no notebook write) of the same ${mib} MiB mbox: peak RSS`,
        reading.rssMiB,
        'MiB',
        { name: 'the 300 MiB budget', value: 300 },
      ),
      row(
        `vitrine import of a ${mib} MiB mbox (${big.messages} messages, ${big.seconds.toFixed(0)} s): peak RSS`,
        big.rssMiB,
        'MiB',
        { name: 'the 300 MiB budget', value: 300 },
        { max: 1 },
      ),
    );
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const rows = await benchMail();
  console.log(formatTable(rows));
}
