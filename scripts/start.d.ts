/** What {@link startVitrine} runs; see start.js. */
export interface RunningVitrine {
  /** The app's address, e.g. `http://127.0.0.1:5178/`. */
  readonly url: string;
  /** The app's origin, the one page the helpers accept by default. */
  readonly origin: string;
  /** The helpers' addresses, or undefined when they did not start (see `syncError`). */
  readonly sync: { readonly signaling: string; readonly relay: string } | undefined;
  readonly syncError: Error | undefined;
  close(): Promise<void>;
}

/** Serve the built app and start the sync helpers, as `npm start` does. See start.js. */
export function startVitrine(options: {
  dist: string;
  dataDir: string;
  port?: number;
  signalingPort?: number;
  relayPort?: number;
  connectSrc?: string[];
  allowOrigins?: string[];
}): Promise<RunningVitrine>;
