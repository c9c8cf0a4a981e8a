/**
 * Sync identity and pairing links.
 *
 * A notebook's sync identity is one random 256-bit secret. Everything a device needs to
 * sync is derived from it with HKDF-SHA-256, each value under its own `info` label, so
 * knowing one derived value (the relay sees the token's hash, the signalling server sees
 * the room name) reveals nothing about the others or the secret:
 *
 * | label                     | value                    | who sees it                      |
 * | ------------------------- | ------------------------ | -------------------------------- |
 * | `vitrine/v1/room`         | y-webrtc room name       | the signalling server            |
 * | `vitrine/v1/webrtc`       | y-webrtc password        | nobody (encrypts signalling)     |
 * | `vitrine/v1/relay-token`  | relay bearer token       | the relay, on connect            |
 * | `vitrine/v1/envelope-key` | AES-GCM-256 key          | nobody (non-extractable)         |
 *
 * The relay document name is SHA-256 of the token ({@link relayDocumentName}), so the relay
 * checks a token without storing anything, and a wrong token names another document.
 *
 * The secret travels only in a pairing link's fragment (`…/#pair=<code>`): browsers never
 * send the fragment to a server. The code is base64url of `version ‖ secret ‖ CRC-32`, so
 * a truncated or mistyped link is refused with a sentence instead of joining a stray room.
 */
import CRC32 from 'crc-32';
import { SyncError } from './errors.ts';
import { concatBytes, equalBytes, fromBase64Url, own, toBase64Url, utf8 } from './bytes.ts';

/** Pairing code format version (first byte of the code). */
export const PAIRING_VERSION = 1;
/** Secret length in bytes (256 bits). */
export const SECRET_BYTES = 32;
/** Length of a pairing code in characters: base64url of 1 + 32 + 4 bytes. */
export const PAIRING_CODE_LENGTH = Math.ceil(((1 + SECRET_BYTES + 4) * 4) / 3);

/** HKDF `info` labels; changing one changes every derived value (a new protocol version). */
export const DERIVATION_LABELS = {
  room: 'vitrine/v1/room',
  webrtc: 'vitrine/v1/webrtc',
  relayToken: 'vitrine/v1/relay-token',
  envelopeKey: 'vitrine/v1/envelope-key',
} as const;

// A fixed, public salt: the secret is already uniformly random (RFC 5869 §3.1), the salt
// only separates Vitrine's derivations from any other use of the same bytes.
const SALT = utf8('vitrine sync salt v1');

/** A notebook's sync identity: the secret every paired device holds. */
export interface SyncIdentity {
  /** Pairing format version the secret was made for. */
  readonly version: number;
  /** 32 random bytes. Never leaves the device except in a pairing link's fragment. */
  readonly secret: Uint8Array;
}

/** Everything derived from a sync identity. */
export interface SyncKeys {
  /** y-webrtc room name (base64url, 128 bits). */
  readonly roomId: string;
  /** y-webrtc password: encrypts signalling messages and awareness between peers. */
  readonly webrtcPassword: string;
  /** Bearer token the relay checks (base64url, 256 bits). */
  readonly relayToken: string;
  /** The relay document for this notebook: SHA-256 of the token, base64url. */
  readonly relayDocument: string;
  /** AES-GCM-256 key sealing envelope entries; not extractable. */
  readonly key: CryptoKey;
}

/** A fresh sync identity from the platform's CSPRNG (WebCrypto). */
export function createIdentity(): SyncIdentity {
  const secret = new Uint8Array(SECRET_BYTES);
  globalThis.crypto.getRandomValues(secret);
  return { version: PAIRING_VERSION, secret };
}

/**
 * "Remove a device": a brand-new identity. Nothing is derived from the old secret, so a
 * removed device that kept the old one learns nothing about the new room, token or key.
 * Remaining devices receive the new secret wrapped for their own device key (see
 * `rekey.ts` and docs/sync.md), never under a key the removed device has.
 */
export function rotateIdentity(_previous: SyncIdentity): SyncIdentity {
  return createIdentity();
}

async function hkdf(secret: Uint8Array, info: string, bytes: number): Promise<Uint8Array> {
  const ikm = await crypto.subtle.importKey('raw', own(secret), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: own(SALT), info: own(utf8(info)) },
    ikm,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

/** Derive the room id, peer password, relay token, relay document and sealing key. */
export async function deriveKeys(identity: SyncIdentity): Promise<SyncKeys> {
  checkSecret(identity.secret);
  const secret = identity.secret;
  const [room, webrtc, token, keyBytes] = await Promise.all([
    hkdf(secret, DERIVATION_LABELS.room, 16),
    hkdf(secret, DERIVATION_LABELS.webrtc, 32),
    hkdf(secret, DERIVATION_LABELS.relayToken, 32),
    hkdf(secret, DERIVATION_LABELS.envelopeKey, 32),
  ]);
  const relayToken = toBase64Url(token);
  const key = await crypto.subtle.importKey('raw', own(keyBytes), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  keyBytes.fill(0);
  return {
    roomId: toBase64Url(room),
    webrtcPassword: toBase64Url(webrtc),
    relayToken,
    relayDocument: await relayDocumentName(relayToken),
    key,
  };
}

/**
 * The relay document a token may open: base64url(SHA-256(label ‖ token)). The relay
 * recomputes it on every connection, so it needs no account table, and a token that does
 * not hash to the requested name is refused.
 */
export async function relayDocumentName(relayToken: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    own(utf8(`vitrine/v1/relay-document\u0000${relayToken}`)),
  );
  return toBase64Url(new Uint8Array(digest));
}

function checkSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length !== SECRET_BYTES) {
    throw new SyncError(`A sync secret must be ${SECRET_BYTES} bytes.`);
  }
}

function crc(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, CRC32.buf(bytes) >>> 0, false);
  return out;
}

/** The pairing code alone (what follows `#pair=`). */
export function formatPairingCode(identity: SyncIdentity): string {
  checkSecret(identity.secret);
  const body = concatBytes(new Uint8Array([identity.version]), identity.secret);
  return toBase64Url(concatBytes(body, crc(body)));
}

/**
 * A pairing link: `base` (the app's address; any existing fragment is dropped) with
 * `#pair=<code>`. The secret is only in the fragment, which browsers never send.
 */
export function formatPairingLink(base: string, identity: SyncIdentity): string {
  const hash = base.indexOf('#');
  const page = hash === -1 ? base : base.slice(0, hash);
  return `${page}#pair=${formatPairingCode(identity)}`;
}

/**
 * Read a pairing link, a `#pair=…` fragment or a bare code. Throws {@link SyncError} with
 * a sentence saying what is wrong (missing, cut short, changed while copying, newer format).
 */
export function parsePairingLink(link: string): SyncIdentity {
  const text = link.trim();
  let code: string;
  const at = text.indexOf('#');
  if (at !== -1) {
    const params = new URLSearchParams(text.slice(at + 1));
    const value = params.get('pair');
    if (value === null) {
      throw new SyncError(
        'This link has no pairing code (#pair=…). Copy the whole link shown by "Pair a device".',
      );
    }
    code = value;
  } else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) {
    throw new SyncError(
      'This link has no pairing code (#pair=…). Copy the whole link shown by "Pair a device".',
    );
  } else {
    code = text;
  }
  if (!code) throw new SyncError('The pairing code is empty. Copy the whole link again.');
  const bytes = fromBase64Url(code);
  if (!bytes) {
    throw new SyncError(
      'The pairing code contains characters a pairing link never has; it was changed while copying. Copy the link again.',
    );
  }
  if (code.length !== PAIRING_CODE_LENGTH) {
    throw new SyncError(
      `The pairing code is ${code.length < PAIRING_CODE_LENGTH ? 'cut short' : 'too long'} (${code.length} characters instead of ${PAIRING_CODE_LENGTH}). Copy the whole link again.`,
    );
  }
  const body = bytes.subarray(0, 1 + SECRET_BYTES);
  const sum = bytes.subarray(1 + SECRET_BYTES);
  if (!equalBytes(sum, crc(body))) {
    throw new SyncError(
      'The pairing code is damaged (its checksum does not match); it was changed while copying. Copy the link again.',
    );
  }
  const version = body[0]!;
  if (version !== PAIRING_VERSION) {
    throw new SyncError(
      version > PAIRING_VERSION
        ? `This pairing link was made by a newer Vitrine (format ${version}). Update Vitrine on this device, then open the link again.`
        : `This pairing link uses format ${version}, which this Vitrine does not read.`,
    );
  }
  return { version, secret: body.slice(1) };
}
