/**
 * Live sync between tabs of the same browser profile over a `BroadcastChannel`.
 *
 * y-indexeddb writes every tab's changes to the shared database but never tells the other
 * tabs, so without this a second tab would show stale data until reloaded. The protocol is
 * the two-step Yjs sync (as in y-protocols/sync) plus plain updates:
 *
 * - on open, a tab posts its state vector (`step1`);
 * - a tab receiving `step1` answers with the updates the sender lacks (`step2`) and, when
 *   the `step1` was not itself an answer, its own state vector, so both sides catch up;
 * - after that each local change is posted as an `update`.
 *
 * Received updates are applied with this provider as their origin, and changes with that
 * origin are not posted again, so nothing echoes around.
 */
import * as Y from 'yjs';

type Message =
  | {
      readonly type: 'step1';
      readonly from: string;
      readonly sv: Uint8Array;
      readonly reply: boolean;
    }
  | {
      readonly type: 'step2';
      readonly from: string;
      readonly to: string;
      readonly update: Uint8Array;
    }
  | { readonly type: 'update'; readonly from: string; readonly update: Uint8Array };

/** Cross-tab sync of one `Y.Doc`. */
export interface BroadcastSync {
  /** Whether the channel is open (false where `BroadcastChannel` is missing, or after destroy). */
  readonly connected: boolean;
  /** Stop syncing; the document is left as it is. */
  destroy(): void;
}

/**
 * Start syncing `doc` with every other tab that opened the same `name`. Call after local
 * storage has loaded, so the first state vector exchanged is the full local one.
 */
export function openBroadcastSync(name: string, doc: Y.Doc): BroadcastSync {
  if (typeof BroadcastChannel === 'undefined') return { connected: false, destroy() {} };
  const channel = new BroadcastChannel(`vitrine:${name}`);
  // A per-tab id: a BroadcastChannel never delivers to itself, but a step2 is addressed.
  const self = Math.random().toString(36).slice(2);
  let connected = true;
  const provider = {};

  const post = (msg: Message): void => {
    if (connected) channel.postMessage(msg);
  };
  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== provider) post({ type: 'update', from: self, update });
  };
  channel.onmessage = (event: MessageEvent<Message>) => {
    const msg = event.data;
    if (!msg || msg.from === self) return;
    switch (msg.type) {
      case 'step1':
        post({
          type: 'step2',
          from: self,
          to: msg.from,
          update: Y.encodeStateAsUpdate(doc, msg.sv),
        });
        if (!msg.reply)
          post({ type: 'step1', from: self, sv: Y.encodeStateVector(doc), reply: true });
        break;
      case 'step2':
        if (msg.to === self) Y.applyUpdate(doc, msg.update, provider);
        break;
      case 'update':
        Y.applyUpdate(doc, msg.update, provider);
        break;
    }
  };
  doc.on('update', onUpdate);
  post({ type: 'step1', from: self, sv: Y.encodeStateVector(doc), reply: false });

  return {
    get connected() {
      return connected;
    },
    destroy() {
      if (!connected) return;
      connected = false;
      doc.off('update', onUpdate);
      channel.close();
    },
  };
}
