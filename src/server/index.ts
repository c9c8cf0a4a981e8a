/**
 * Node-side helpers `npm start` runs beside the app: the y-webrtc signalling server and the
 * relay, both on 127.0.0.1 unless told otherwise. Nothing here contacts another host.
 */
import type { AllowedOrigins } from './origin.ts';
import { startRelay, type RelayServer } from './relay.ts';
import { startSignaling, type SignalingServer } from './signaling.ts';

/** Default signalling port of `npm start` (the app's settings default to this address). */
export const DEFAULT_SIGNALING_PORT = 4444;
/** Default relay port of `npm start` and `vitrine relay`. */
export const DEFAULT_RELAY_PORT = 4445;

/** Options for {@link startHelpers}. */
export interface HelperOptions {
  /** Signalling port (default 4444; 0 = any free port). */
  signalingPort?: number;
  /** Relay port (default 4445; 0 = any free port). */
  relayPort?: number;
  /** Folder for the relay's stored envelopes. */
  dataDir: string;
  /** Interface for both (default 127.0.0.1). */
  host?: string;
  /**
   * Web pages that may open a WebSocket to either server: the app's own origin
   * (`http://127.0.0.1:5178`). Default none (only non-browser clients); see origin.ts.
   */
  allowedOrigins?: AllowedOrigins;
}

/** Running helpers. */
export interface Helpers {
  readonly urls: { readonly signaling: string; readonly relay: string };
  /** Stop both servers (the relay stores everything first). */
  destroy(): Promise<void>;
}

/** Start the signalling server and the relay; stop both with `destroy()`. */
export async function startHelpers(options: HelperOptions): Promise<Helpers> {
  const host = options.host ?? '127.0.0.1';
  const signaling: SignalingServer = await startSignaling({
    port: options.signalingPort ?? DEFAULT_SIGNALING_PORT,
    host,
    allowedOrigins: options.allowedOrigins,
  });
  let relay: RelayServer;
  try {
    relay = await startRelay({
      port: options.relayPort ?? DEFAULT_RELAY_PORT,
      host,
      dataDir: options.dataDir,
      allowedOrigins: options.allowedOrigins,
    });
  } catch (e) {
    await signaling.destroy();
    throw e;
  }
  return {
    urls: { signaling: signaling.url, relay: relay.url },
    async destroy() {
      await Promise.all([signaling.destroy(), relay.destroy()]);
    },
  };
}
