/**
 * Which new secret, if any, this device follows after "Remove a device" — decided from
 * every re-key it can see, on the relay and live, never from one message alone.
 *
 * A re-key is only as trustworthy as its author, and the device being removed still holds
 * the old room key: it can post a "new secret" of its own for a device that was offline
 * during the removal. So the guard adopts a secret automatically only when
 *
 * 1. its message carries a statement signed by the key pinned for its sender (a device
 *    without a pinned signing key — an older Vitrine, or one never seen — cannot author
 *    an adoptable re-key), made in this room, addressed to this device, and naming the
 *    secret inside the copy (its fingerprint);
 * 2. it is not a replay: its sequence number is above the last re-key from that sender
 *    this device decided on (kept in {@link RekeyMemory}, on this device only);
 * 3. its sender is not named as removed by any verified re-key this device has seen
 *    (also remembered);
 * 4. no other adoptable re-key names a different secret. When two do — or when the only
 *    re-keys left name each other as removed — the owner chooses ({@link RekeyChoice});
 *    the guard never picks one silently.
 *
 * Pure logic over notices the transports hand in (relay-client.ts, peer.ts); the session
 * (session.ts) feeds it, persists its memory, and moves the device.
 */
import type { SyncIdentity } from './pairing.ts';
import { identityFingerprint, verifyStatement, type RekeyMessage } from './rekey.ts';

/** A re-key message seen on one channel (every one, addressed to this device or not). */
export interface RekeyNotice {
  readonly via: 'relay' | 'live';
  /** The device the channel names as its writer (entry device, or presence device id). */
  readonly author: string;
  readonly message: RekeyMessage;
  /** The opened copy, when addressed to this device and it could be opened. */
  readonly identity?: SyncIdentity;
  /** Why the copy addressed to this device could not be opened. */
  readonly openError?: string;
}

/** What this device remembers about re-keys and sequence numbers (identity store). */
export interface RekeyMemory {
  /** Per sender: the highest re-key sequence number this device decided on. */
  readonly statements: Readonly<Record<string, number>>;
  /** Per device: the highest device-entry sequence number seen on the relay. */
  readonly devices: Readonly<Record<string, number>>;
  /** Devices a verified re-key named as removed: never the author of an adopted secret. */
  readonly removed: readonly string[];
}

/** An empty memory (a device that has seen no re-key yet). */
export const EMPTY_REKEY_MEMORY: RekeyMemory = { statements: {}, devices: {}, removed: [] };

/** Is `value` a {@link RekeyMemory}? (It is read back from storage.) */
export function isRekeyMemory(value: unknown): value is RekeyMemory {
  const v = value as Partial<RekeyMemory> | null;
  const seqs = (x: unknown) =>
    typeof x === 'object' &&
    x !== null &&
    Object.values(x).every((n) => typeof n === 'number' && Number.isSafeInteger(n));
  return (
    typeof v === 'object' &&
    v !== null &&
    seqs(v.statements) &&
    seqs(v.devices) &&
    Array.isArray(v.removed) &&
    v.removed.every((i) => typeof i === 'string')
  );
}

/** One side of a conflict, as the owner is asked about it. */
export interface RekeyOption {
  /** The device that sent it. */
  readonly sender: string;
  readonly senderName: string;
  /** Names of the devices it removes. */
  readonly removedNames: readonly string[];
  /** When it was made (ISO), as the sender signed it. */
  readonly at: string;
}

/** Two or more re-keys conflict: the owner picks one, or stays (and re-pairs by link). */
export interface RekeyChoice {
  readonly options: readonly RekeyOption[];
}

/** What the guard decided. */
export type RekeyDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'adopt'; readonly identity: SyncIdentity; readonly sender: string }
  | { readonly kind: 'choose'; readonly choice: RekeyChoice };

/** Options for {@link RekeyGuard}. */
export interface RekeyGuardOptions {
  /** This device's id. */
  readonly self: string;
  /** The room this device is in now (re-keys made elsewhere are refused). */
  readonly roomId: string;
  readonly memory: RekeyMemory;
  /** The signing key pinned for a device, if any. */
  readonly verifyKey: (id: string) => JsonWebKey | undefined;
  /** A device's name for messages (falls back to its id). */
  readonly name: (id: string) => string;
}

interface Offer {
  readonly notice: RekeyNotice;
  readonly identity: SyncIdentity;
}

/** Decides, from all re-keys seen in one room, what this device does (see the module doc). */
export class RekeyGuard {
  private readonly options: RekeyGuardOptions;
  private memoryValue: RekeyMemory;
  private readonly notices = new Map<string, RekeyNotice>();
  // Checks that do not change (signature, fingerprint) are done once per message.
  private readonly checked = new Map<string, Promise<string | undefined>>();
  private readonly reported = new Set<string>();
  private offers: Offer[] = [];

  constructor(options: RekeyGuardOptions) {
    this.options = options;
    this.memoryValue = options.memory;
  }

  /** The memory to keep (changes after {@link evaluate} and {@link choose}). */
  get memory(): RekeyMemory {
    return this.memoryValue;
  }

  /** How many distinct re-key messages were seen. */
  get size(): number {
    return this.notices.size;
  }

  /** Take in notices from a channel; the same message seen twice counts once. */
  add(notices: readonly RekeyNotice[]): void {
    for (const n of notices) {
      const key = `${n.author}\u0000${n.message.to}\u0000${n.message.iv}`;
      const known = this.notices.get(key);
      // The live copy may arrive unopened and the relay copy opened, or the other way.
      if (!known || (!known.identity && n.identity)) this.notices.set(key, n);
    }
  }

  /**
   * Look at everything seen so far. Returns the decision and, once each, the sentences for
   * re-keys addressed to this device that were refused.
   */
  async evaluate(): Promise<{ decision: RekeyDecision; refused: string[] }> {
    const { self, roomId } = this.options;
    const refused: string[] = [];
    const refuse = (key: string, text: string) => {
      if (this.reported.has(key)) return;
      this.reported.add(key);
      refused.push(text);
    };
    const verified: RekeyNotice[] = [];
    const offers: Offer[] = [];
    for (const [key, n] of this.notices) {
      const m = n.message;
      const mine = m.to === self;
      const who = this.options.name(n.author);
      const st = m.statement;
      if (!st || !m.sig) {
        if (mine) {
          refuse(
            key,
            `"${who}" sent this device a new sync secret without a signature (an older Vitrine?), so it was not followed. Update Vitrine there, or pair this device again by link.`,
          );
        }
        continue;
      }
      if (st.sender === self) continue;
      // Made in another room: left over in presence after a move; it cannot apply here.
      if (st.oldRoom !== roomId) continue;
      if (st.sender !== n.author) {
        if (mine) {
          refuse(
            key,
            `A new sync secret sent by "${who}" claims to come from another device; it was ignored.`,
          );
        }
        continue;
      }
      const verifyKey = this.options.verifyKey(st.sender);
      if (!verifyKey) {
        if (mine) {
          refuse(
            key,
            `"${who}" sent this device a new sync secret, but this device has never seen that device's signing key, so it cannot check who wrote it. Pair this device again by link.`,
          );
        }
        continue;
      }
      const problem = await this.check(key, n, verifyKey);
      if (problem) {
        if (mine) refuse(key, problem);
        continue;
      }
      const last = this.memoryValue.statements[st.sender];
      if (last !== undefined && st.seq <= last) {
        // Equal: the re-key this device already decided on, seen again. Below: an older
        // one that was never seen here, sent again (a relay rolling back, or a replay).
        if (st.seq < last && mine) {
          refuse(key, `An older key change from "${who}" was sent again; it was refused.`);
        }
        continue;
      }
      verified.push(n);
      if (mine && n.identity) offers.push({ notice: n, identity: n.identity });
      else if (mine)
        refuse(
          key,
          n.openError ?? `A new sync secret from "${who}" could not be opened on this device.`,
        );
    }

    const removed = new Set(this.memoryValue.removed);
    for (const n of verified) for (const id of n.message.statement!.removed) removed.add(id);
    if (removed.size !== this.memoryValue.removed.length) {
      this.memoryValue = { ...this.memoryValue, removed: [...removed] };
    }
    this.offers = offers;
    if (offers.length === 0) return { decision: { kind: 'none' }, refused };

    const next = (o: Offer) => o.notice.message.statement!.next;
    const distinct = (list: Offer[]) => [...new Map(list.map((o) => [next(o), o])).values()];
    const selfRemoved = removed.has(self);
    const auto = selfRemoved ? [] : offers.filter((o) => !removed.has(o.notice.author));
    const autoSecrets = distinct(auto);
    if (autoSecrets.length === 1) {
      const chosen = autoSecrets[0]!;
      for (const o of offers) {
        if (next(o) === next(chosen)) continue;
        refuse(
          `${o.notice.author}\u0000removed`,
          `"${this.options.name(o.notice.author)}", which another of your devices removed, sent this device a new sync secret; it was refused.`,
        );
      }
      this.decide(offers);
      return {
        decision: { kind: 'adopt', identity: chosen.identity, sender: chosen.notice.author },
        refused,
      };
    }
    const all = distinct(offers);
    if (autoSecrets.length === 0 && all.length === 1 && !selfRemoved) {
      // The only new secret comes from a device named as removed.
      refuse(
        `${all[0]!.notice.author}\u0000removed`,
        `"${this.options.name(all[0]!.notice.author)}", which another of your devices removed, sent this device a new sync secret; it was refused.`,
      );
      this.decide(offers);
      return { decision: { kind: 'none' }, refused };
    }
    // Oldest first: the order the re-keys were made in, whatever order they arrived in.
    const listed = (autoSecrets.length >= 2 ? autoSecrets : all).sort(
      (a, b) =>
        a.notice.message.statement!.at.localeCompare(b.notice.message.statement!.at) ||
        a.notice.author.localeCompare(b.notice.author),
    );
    const options = listed.map((o) => {
      const st = o.notice.message.statement!;
      return {
        sender: o.notice.author,
        senderName: this.options.name(o.notice.author),
        removedNames: st.removed.map((id) => (id === self ? 'this device' : this.options.name(id))),
        at: st.at,
      };
    });
    return { decision: { kind: 'choose', choice: { options } }, refused };
  }

  /**
   * The owner's answer to a {@link RekeyChoice}: the identity sent by `sender`, or
   * undefined for "stay" (`null`). Either way every offer seen is decided on, so neither
   * is asked about again (or accepted when sent again).
   */
  choose(sender: string | null): SyncIdentity | undefined {
    const picked =
      sender === null ? undefined : this.offers.find((o) => o.notice.author === sender);
    this.decide(this.offers);
    return picked?.identity;
  }

  private decide(offers: readonly Offer[]): void {
    const statements = { ...this.memoryValue.statements };
    for (const o of offers) {
      const st = o.notice.message.statement!;
      statements[st.sender] = Math.max(statements[st.sender] ?? st.seq, st.seq);
    }
    this.memoryValue = { ...this.memoryValue, statements };
  }

  /** Signature, recipient list and fingerprint; undefined when all hold. */
  private check(key: string, n: RekeyNotice, verifyKey: JsonWebKey): Promise<string | undefined> {
    const cacheKey = `${key}\u0000${n.identity ? 'opened' : ''}`;
    let result = this.checked.get(cacheKey);
    if (!result) {
      result = (async () => {
        const m = n.message;
        const st = m.statement!;
        const who = this.options.name(n.author);
        if (!(await verifyStatement(verifyKey, st, m.sig!))) {
          return `A key change claiming to come from "${who}" does not carry that device's signature; it was ignored.`;
        }
        if (m.to !== this.options.self) return undefined;
        if (!st.recipients.includes(m.to)) {
          return `A new sync secret from "${who}" was not signed for this device; it was ignored.`;
        }
        if (n.identity && (await identityFingerprint(n.identity)) !== st.next) {
          return `The new sync secret from "${who}" is not the one it signed; it was refused.`;
        }
        return undefined;
      })();
      this.checked.set(cacheKey, result);
    }
    return result;
  }
}
