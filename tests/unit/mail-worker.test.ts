/**
 * The app's import worker plans mail from the File itself (`File.stream()`), chunk by
 * chunk: the request carries only the first 64 kB as bytes. Refusals come back as
 * refusals.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { Notebook, addPerson, initNotebook, setOwnerAddresses } from '../../src/model/index.ts';
import { activityImportSnapshot } from '../../src/io/activity-import.ts';
import { existingPeople } from '../../src/io/plan.ts';
import { ImportService } from '../../src/app/import.worker.ts';
import { bytes, mbox, message } from '../helpers/mail.ts';

const NOW = new Date('2026-07-01T12:00:00Z');

function setup() {
  const nb = new Notebook(new Y.Doc(), { now: () => NOW });
  initNotebook(nb, 'Rita Owner');
  setOwnerAddresses(nb, ['rita@owner.example']);
  addPerson(nb, { name: 'Ana Lima', emails: ['ana@acme.example'] });
  return nb;
}

/** A mailbox larger than the 64 kB head, whose last message is the only one with Ana. */
function bigMailbox(): Uint8Array {
  const filler = Array.from({ length: 400 }, (_, i) =>
    message(
      {
        From: `x${i}@lists.example`,
        To: 'rita@owner.example',
        'List-Id': '<l.example>',
        Date: 'Tue, 3 Mar 2026 09:00:00 +0000',
      },
      'Some body text that takes room.\n'.repeat(10),
    ),
  );
  const last = message({
    From: 'ana@acme.example',
    To: 'rita@owner.example',
    Date: 'Wed, 4 Mar 2026 09:00:00 +0000',
    'Message-ID': '<last@x>',
  });
  return bytes(mbox(...filler, last));
}

describe('import worker, mail', () => {
  it('streams the File: a plan that saw the message past the first 64 kB', async () => {
    const nb = setup();
    const all = bigMailbox();
    expect(all.length).toBeGreaterThan(65536 * 2);
    let progress = 0;
    const last = await new ImportService().plan(
      {
        file: new Blob([all.slice().buffer]),
        name: 'Inbox.mbox',
        existing: existingPeople(nb),
        activity: activityImportSnapshot(nb),
      },
      () => progress++,
    );
    expect(last.type).toBe('activity');
    if (last.type !== 'activity') return;
    const plan = last.preview;
    expect(plan.format).toBe('mbox');
    expect(plan.mail).toMatchObject({ messages: 401, counted: 1 });
    expect(plan.activity.touches).toBe(1);
    expect(progress).toBeGreaterThan(0);
  });

  it('a file with no mail in it is refused with a sentence', async () => {
    const nb = setup();
    const last = await new ImportService().plan({
      file: new Blob(['\n\n']),
      name: 'empty.mbox',
      format: 'mbox',
      existing: existingPeople(nb),
      activity: activityImportSnapshot(nb),
    });
    expect(last).toMatchObject({ type: 'error', refused: true });
    expect((last as { message: string }).message).toMatch(/empty\.mbox holds no e-mail/);
  });
});
