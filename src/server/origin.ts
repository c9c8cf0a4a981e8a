/**
 * Which web pages may open a WebSocket to our servers.
 *
 * Browsers let any site open a WebSocket to `127.0.0.1` and send the page's origin in the
 * upgrade's `Origin` header; the servers refuse upgrades from pages other than the app's
 * own. Clients that are not browsers (the `vitrine` CLI, tests, a relay behind a proxy)
 * send no `Origin` at all, and are let through: the header only ever protects the
 * browser's owner from other pages, it is not authentication.
 */

/** The allowed origins: exact `scheme://host[:port]` strings, or `'*'` for any. */
export type AllowedOrigins = readonly string[];

/** Normalise an origin (`http://LOCALHOST:5178/` → `http://localhost:5178`); `undefined` if it is not one. */
export function normaliseOrigin(origin: string): string | undefined {
  if (origin === 'null') return 'null';
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/**
 * True when a WebSocket upgrade carrying `origin` (the header's value, or undefined when
 * absent) may proceed. An absent header is a non-browser client and is allowed; `'*'` in
 * `allowed` allows every origin; otherwise the origin must equal one of `allowed`.
 */
export function originAllowed(origin: string | undefined, allowed: AllowedOrigins): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowed.includes('*')) return true;
  const normal = normaliseOrigin(origin);
  if (normal === undefined) return false;
  return allowed.some((a) => normaliseOrigin(a) === normal);
}
