/**
 * "Remove a device": hand a new sync identity to the devices that stay, so that the device
 * being removed cannot read it even though it still holds the old room key.
 *
 * Each device has its own ECDH P-256 key pair (WebCrypto; the private key is not
 * extractable and can be stored in IndexedDB as a `CryptoKey`). Its public key travels in
 * its sealed device entry on the relay. To rotate, a device makes a new identity
 * (`rotateIdentity`) and, for every device that stays, wraps the new pairing code with an
 * ephemeral ECDH key agreement + HKDF-SHA-256 + AES-GCM (an ECIES construction), bound to
 * the old room and the recipient's id. The wrapped copies are posted in the *old* envelope
 * (sealed again under the old room key, like any entry): every old device can see them,
 * only the addressed device can open its own. The removed device is simply not addressed.
 *
 * Who wrote a re-key matters as much as who can open it: the removed device still holds
 * the old room key, so it can post a "new secret" of its own for a device that was offline.
 * Each device therefore also has an ECDSA P-256 signing key pair, pinned by the others on
 * first sight, and every re-key carries a {@link RekeyStatement} signed with it: the old
 * room, the new identity's fingerprint, the removed devices, the recipients, the sender and
 * a per-device sequence number. The receiving side (`rekey-guard.ts`) decides what to adopt.
 */
import { SealError, SyncError } from './errors.ts';
import { formatPairingCode, parsePairingLink, type SyncIdentity } from './pairing.ts';
import { concatBytes, fromBase64Url, own, toBase64Url, utf8 } from './bytes.ts';

/** A device's own key pairs: one for receiving rotated secrets, one for signing re-keys. */
export interface DeviceKeys {
  /** Public half of the ECDH key, shared (sealed) with the other devices. */
  readonly publicKey: JsonWebKey;
  /** Private half of the ECDH key; not extractable. */
  readonly privateKey: CryptoKey;
  /**
   * Public half of the ECDSA signing key, pinned by the other devices on first sight.
   * Missing on a device record made before re-keys were signed (see
   * {@link addSigningKeys}); such a device cannot author a re-key others adopt.
   */
  readonly verifyKey?: JsonWebKey;
  /** Private half of the ECDSA signing key; not extractable. */
  readonly signingKey?: CryptoKey;
}

/** A new identity wrapped for one device. */
export interface WrappedIdentity {
  /** Ephemeral public key of the sender's key agreement. */
  readonly epk: JsonWebKey;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/** What a wrapped identity is bound to: the room it was posted in and its recipient. */
export interface RekeyContext {
  readonly roomId: string;
  readonly recipient: string;
}

const CURVE = { name: 'ECDH', namedCurve: 'P-256' } as const;

const SIGNING = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNATURE = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Fresh device key pairs, receiving and signing (do this once per device and keep them). */
export async function createDeviceKeys(): Promise<Required<DeviceKeys>> {
  const pair = (await crypto.subtle.generateKey(CURVE, false, ['deriveBits'])) as CryptoKeyPair;
  return addSigningKeys({
    publicKey: await crypto.subtle.exportKey('jwk', pair.publicKey),
    privateKey: pair.privateKey,
  });
}

/**
 * The upgrade path of a device record made before re-keys were signed: keep its ECDH pair
 * (the other devices pinned it) and add a signing pair. Keys that have one are returned as
 * they are.
 */
export async function addSigningKeys(keys: DeviceKeys): Promise<Required<DeviceKeys>> {
  if (keys.signingKey && keys.verifyKey) return keys as Required<DeviceKeys>;
  const pair = (await crypto.subtle.generateKey(SIGNING, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return {
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    verifyKey: await crypto.subtle.exportKey('jwk', pair.publicKey),
    signingKey: pair.privateKey,
  };
}

/**
 * A public key's fingerprint for pinning: its type, curve and point (the fields that make
 * it this key, not its `key_ops` or `ext`).
 */
export function keyFingerprint(jwk: JsonWebKey): string {
  return `${jwk.kty ?? ''}:${jwk.crv ?? ''}:${jwk.x ?? ''}:${jwk.y ?? ''}`;
}

function aad(ctx: RekeyContext): Uint8Array<ArrayBuffer> {
  return own(utf8(`vitrine/v1/rekey\u0000${ctx.roomId}\u0000${ctx.recipient}`));
}

async function wrappingKey(shared: ArrayBuffer, ctx: RekeyContext): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: own(utf8('vitrine rekey salt v1')), info: aad(ctx) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function importPublic(jwk: JsonWebKey): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('jwk', jwk, CURVE, false, []);
  } catch {
    throw new SyncError('A paired device published a key this version cannot use; re-pair it.');
  }
}

/** Wrap `identity` so that only the holder of `recipientKey`'s private half can open it. */
export async function wrapIdentity(
  recipientKey: JsonWebKey,
  identity: SyncIdentity,
  ctx: RekeyContext,
): Promise<WrappedIdentity> {
  const recipient = await importPublic(recipientKey);
  const eph = (await crypto.subtle.generateKey(CURVE, true, ['deriveBits'])) as CryptoKeyPair;
  const shared = await crypto.subtle.deriveBits(
    { name: 'ECDH', public: recipient },
    eph.privateKey,
    256,
  );
  const key = await wrappingKey(shared, ctx);
  const iv = new Uint8Array(12);
  crypto.getRandomValues(iv);
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad(ctx) },
    key,
    own(utf8(formatPairingCode(identity))),
  );
  return {
    epk: await crypto.subtle.exportKey('jwk', eph.publicKey),
    iv,
    ciphertext: new Uint8Array(ciphertext),
  };
}

/**
 * Open a wrapped identity with this device's private key. Throws {@link SealError} when it
 * was meant for another device, another room, or was changed.
 */
export async function unwrapIdentity(
  privateKey: CryptoKey,
  wrapped: WrappedIdentity,
  ctx: RekeyContext,
): Promise<SyncIdentity> {
  const epk = await importPublic(wrapped.epk);
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: epk }, privateKey, 256);
  const key = await wrappingKey(shared, ctx);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: own(wrapped.iv), additionalData: aad(ctx) },
      key,
      own(wrapped.ciphertext),
    );
  } catch {
    throw new SealError(
      'A new sync secret could not be opened on this device: it was meant for another device, or was changed on the way.',
    );
  }
  return parsePairingLink(new TextDecoder().decode(plain));
}

/**
 * What the sender of a re-key signs. Every field is checked by the receiver: the re-key
 * was made in this room (`oldRoom`), the secret it wraps is the one named (`next`, see
 * {@link identityFingerprint}), the receiver is among the `recipients`, the `sender` is the
 * device whose pinned key verifies the signature, and `seq` is above every re-key from that
 * sender this device has already decided on (replays are refused). `removed` names the
 * devices this re-key leaves behind: none of them may author a secret the receiver adopts.
 */
export interface RekeyStatement {
  readonly v: 1;
  readonly oldRoom: string;
  readonly next: string;
  readonly sender: string;
  readonly removed: readonly string[];
  readonly recipients: readonly string[];
  readonly seq: number;
  /** ISO time it was made (shown to the owner; ordering uses `seq`). */
  readonly at: string;
}

/**
 * One re-key message as it travels (JSON in a sealed `rekey` entry, or in live presence):
 * the wrapped secret for `to`, and the signed statement. A message without `statement`
 * and `sig` comes from a Vitrine that did not sign re-keys; it is never adopted.
 */
export interface RekeyMessage {
  readonly to: string;
  readonly epk: JsonWebKey;
  readonly iv: string;
  readonly ciphertext: string;
  readonly statement?: RekeyStatement;
  /** ECDSA P-256 / SHA-256 signature over {@link statementBytes}, base64url. */
  readonly sig?: string;
}

/**
 * A public, one-way name for an identity: base64url SHA-256 of a label and the secret.
 * The removed device sees the signed statement (it is sealed under the old room key), so
 * it must not learn the new room id from it.
 */
export async function identityFingerprint(identity: SyncIdentity): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    own(concatBytes(utf8('vitrine/v1/identity-fingerprint\u0000'), identity.secret)),
  );
  return toBase64Url(new Uint8Array(digest));
}

/** The exact bytes signed: a label and the statement's fields in a fixed order. */
export function statementBytes(s: RekeyStatement): Uint8Array<ArrayBuffer> {
  const sorted = (ids: readonly string[]) => [...ids].sort();
  return own(
    utf8(
      JSON.stringify([
        'vitrine/v1/rekey-statement',
        s.v,
        s.oldRoom,
        s.next,
        s.sender,
        sorted(s.removed),
        sorted(s.recipients),
        s.seq,
        s.at,
      ]),
    ),
  );
}

/** Is `value` a well-formed statement? (Anything read from the envelope or presence is.) */
export function isRekeyStatement(value: unknown): value is RekeyStatement {
  const v = value as Partial<Record<keyof RekeyStatement, unknown>> | null;
  const ids = (x: unknown) => Array.isArray(x) && x.every((i) => typeof i === 'string');
  return (
    typeof v === 'object' &&
    v !== null &&
    v.v === 1 &&
    typeof v.oldRoom === 'string' &&
    typeof v.next === 'string' &&
    typeof v.sender === 'string' &&
    ids(v.removed) &&
    ids(v.recipients) &&
    typeof v.seq === 'number' &&
    Number.isSafeInteger(v.seq) &&
    typeof v.at === 'string'
  );
}

/** Read a re-key message, or undefined when it is not shaped like one. */
export function parseRekeyMessage(value: unknown): RekeyMessage | undefined {
  const v = value as Partial<Record<keyof RekeyMessage, unknown>> | null;
  if (typeof v !== 'object' || v === null) return undefined;
  if (typeof v.to !== 'string' || typeof v.iv !== 'string' || typeof v.ciphertext !== 'string')
    return undefined;
  if (typeof v.epk !== 'object' || v.epk === null) return undefined;
  const signed = isRekeyStatement(v.statement) && typeof v.sig === 'string';
  return {
    to: v.to,
    epk: v.epk as JsonWebKey,
    iv: v.iv,
    ciphertext: v.ciphertext,
    ...(signed ? { statement: v.statement as RekeyStatement, sig: v.sig as string } : {}),
  };
}

/** Does `sig` verify `statement` under `verifyKey`? False for any malformed input. */
export async function verifyStatement(
  verifyKey: JsonWebKey,
  statement: RekeyStatement,
  sig: string,
): Promise<boolean> {
  const bytes = fromBase64Url(sig);
  if (!bytes) return false;
  try {
    const key = await crypto.subtle.importKey('jwk', verifyKey, SIGNING, false, ['verify']);
    return await crypto.subtle.verify(SIGNATURE, key, own(bytes), statementBytes(statement));
  } catch {
    return false;
  }
}

/** A device a re-key is addressed to, with its (pinned) receiving key. */
export interface RekeyRecipient {
  readonly id: string;
  readonly publicKey: JsonWebKey;
}

/** What {@link createRekeyMessages} needs. */
export interface RekeyDraft {
  /** The sender's keys; must include the signing pair. */
  readonly keys: DeviceKeys;
  readonly sender: string;
  /** The room the messages are posted in (the identity being left). */
  readonly oldRoom: string;
  readonly next: SyncIdentity;
  readonly removed: readonly string[];
  readonly recipients: readonly RekeyRecipient[];
  /** The sender's sequence number for this re-key (see `nextSeq` in crypto.ts). */
  readonly seq: number;
  readonly at: Date;
}

/**
 * "Remove a device": one signed statement and a copy of `next` wrapped for each recipient.
 * Post the same messages on every channel (relay and live), so a device reached both ways
 * sees one re-key, not two.
 */
export async function createRekeyMessages(draft: RekeyDraft): Promise<RekeyMessage[]> {
  if (!draft.keys.signingKey) {
    throw new SyncError(
      'This device has no signing key yet, so the others could not trust its new secret. Reload the app and try again.',
    );
  }
  const statement: RekeyStatement = {
    v: 1,
    oldRoom: draft.oldRoom,
    next: await identityFingerprint(draft.next),
    sender: draft.sender,
    removed: [...draft.removed],
    recipients: draft.recipients.map((r) => r.id),
    seq: draft.seq,
    at: draft.at.toISOString(),
  };
  const sig = toBase64Url(
    new Uint8Array(
      await crypto.subtle.sign(SIGNATURE, draft.keys.signingKey, statementBytes(statement)),
    ),
  );
  const out: RekeyMessage[] = [];
  for (const r of draft.recipients) {
    const wrapped = await wrapIdentity(r.publicKey, draft.next, {
      roomId: draft.oldRoom,
      recipient: r.id,
    });
    out.push({
      to: r.id,
      epk: wrapped.epk,
      iv: toBase64Url(wrapped.iv),
      ciphertext: toBase64Url(wrapped.ciphertext),
      statement,
      sig,
    });
  }
  return out;
}

/**
 * Open the copy of a message addressed to this device (`ctx.recipient`). Throws
 * {@link SyncError} when it is malformed, {@link SealError} when it cannot be opened.
 */
export async function openRekeyMessage(
  privateKey: CryptoKey,
  message: RekeyMessage,
  ctx: RekeyContext,
): Promise<SyncIdentity> {
  const iv = fromBase64Url(message.iv);
  const ciphertext = fromBase64Url(message.ciphertext);
  if (!iv || !ciphertext) throw new SyncError('A key change is malformed; it was ignored.');
  return unwrapIdentity(privateKey, { epk: message.epk, iv, ciphertext }, ctx);
}
