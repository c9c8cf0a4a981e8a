/**
 * The app's Content-Security-Policy, built in one place for the two ways it is served:
 * `npm start` sends it as a header (with `frame-ancestors 'none'`), and the build writes it
 * into `index.html` as a `<meta>` for static hosting (a `<meta>` policy cannot carry
 * `frame-ancestors`, so that one directive is left out there).
 *
 * Scripts only from the app's own origin (no inline script, no eval), no plugins, no
 * `<base>`, and network connections only to the app itself and the sync servers the owner
 * named. Styles may be inline: Lit and Cytoscape set element styles, and a style cannot
 * run code.
 */

/**
 * The sync servers the app's settings default to (src/sync/peer.ts `DEFAULT_SIGNALING`,
 * src/sync/identity-store.ts `DEFAULT_RELAY`): the signalling server and relay `npm start`
 * runs. A test keeps the two lists equal.
 */
export const DEFAULT_CONNECT_SRC: readonly string[] = [
  'ws://127.0.0.1:4444',
  'ws://127.0.0.1:4445',
];

/** Environment variable naming extra sync servers the policy allows (space or comma separated). */
export const CONNECT_SRC_ENV = 'VITRINE_CONNECT_SRC';

// A CSP host-source with a scheme: scheme://host[:port], where host may start with `*.`
// and port may be `*`. A path is dropped (an origin is what the owner means).
const SOURCE =
  /^(wss?|https?):\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:(\d{1,5}|\*))?(\/\S*)?$/i;

/**
 * Parse a list of extra sync-server addresses (`wss://relay.example.com`,
 * `ws://192.168.1.5:4444`, `ws://127.0.0.1:*`), separated by spaces or commas, into CSP
 * sources. Throws an Error with a sentence for anything that is not such an address.
 */
export function parseConnectSrc(text: string | undefined): string[] {
  const out: string[] = [];
  for (const item of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const m = SOURCE.exec(item);
    if (!m) {
      throw new Error(
        `"${item}" is not a server address for the security policy; use ws://host:port or wss://host (several separated by spaces).`,
      );
    }
    out.push(`${m[1]!.toLowerCase()}://${m[2] ?? ''}${m[3]!.toLowerCase()}${m[5] ?? ''}`);
  }
  return out;
}

/** Options for {@link contentSecurityPolicy}. */
export interface PolicyOptions {
  /** Extra sources for `connect-src` (see {@link parseConnectSrc}); the defaults are always in. */
  readonly connectSrc?: readonly string[];
  /** Add `frame-ancestors 'none'` (header only; a `<meta>` policy must leave it out). */
  readonly frameAncestors: boolean;
}

/** The policy text. */
export function contentSecurityPolicy(options: PolicyOptions): string {
  const connect = [...new Set(["'self'", ...DEFAULT_CONNECT_SRC, ...(options.connectSrc ?? [])])];
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ];
  if (options.frameAncestors) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** Response headers `npm start`'s server sends with every file: the policy and framing protection. */
export function securityHeaders(connectSrc: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy({ connectSrc, frameAncestors: true }),
    // For browsers that predate frame-ancestors.
    'x-frame-options': 'DENY',
  };
}
