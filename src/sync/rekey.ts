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
 */
import { SealError, SyncError } from './errors.ts';
import { formatPairingCode, parsePairingLink, type SyncIdentity } from './pairing.ts';
import { own, utf8 } from './bytes.ts';

/** A device's own key pair for receiving rotated secrets. */
export interface DeviceKeys {
  /** Public half, shared (sealed) with the other devices. */
  readonly publicKey: JsonWebKey;
  /** Private half; not extractable. */
  readonly privateKey: CryptoKey;
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

/** A fresh device key pair (do this once per device and keep it). */
export async function createDeviceKeys(): Promise<DeviceKeys> {
  const pair = (await crypto.subtle.generateKey(CURVE, false, ['deriveBits'])) as CryptoKeyPair;
  return {
    publicKey: await crypto.subtle.exportKey('jwk', pair.publicKey),
    privateKey: pair.privateKey,
  };
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
