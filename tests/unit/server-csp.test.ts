/**
 * The Content-Security-Policy's text: what it allows the page to contact, that the
 * defaults follow the app's own default sync servers, and that `npm start` refuses a
 * server address it cannot put in the policy with a sentence.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_CONNECT_SRC,
  contentSecurityPolicy,
  parseConnectSrc,
  securityHeaders,
} from '../../src/server/csp.ts';
import { DEFAULT_SIGNALING } from '../../src/sync/peer.ts';
import { DEFAULT_RELAY } from '../../src/sync/identity-store.ts';

const connectSrc = (policy: string) => /connect-src ([^;]+)/.exec(policy)?.[1]?.split(' ') ?? [];

describe('Content-Security-Policy', () => {
  test("connect-src allows the app's default sync servers, and only the servers named", () => {
    expect(DEFAULT_CONNECT_SRC).toEqual([...DEFAULT_SIGNALING, DEFAULT_RELAY]);
    const policy = contentSecurityPolicy({
      connectSrc: parseConnectSrc('wss://relay.example.com, ws://192.168.1.5:4444/'),
      frameAncestors: true,
    });
    expect(connectSrc(policy)).toEqual([
      "'self'",
      'ws://127.0.0.1:4444',
      'ws://127.0.0.1:4445',
      'wss://relay.example.com',
      'ws://192.168.1.5:4444',
    ]);
  });

  test('the <meta> form leaves out frame-ancestors, which only a header may carry', () => {
    expect(contentSecurityPolicy({ frameAncestors: false })).not.toMatch(/frame-ancestors/);
    expect(securityHeaders()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(securityHeaders()['x-frame-options']).toBe('DENY');
  });

  test('an address that cannot go in the policy is refused with a sentence', () => {
    for (const bad of [
      "'unsafe-inline'",
      'javascript:alert(1)',
      'relay.example.com',
      'wss://a;b',
    ]) {
      expect(() => parseConnectSrc(bad), bad).toThrow(
        /is not a server address .* use ws:\/\/host:port/,
      );
    }
    expect(parseConnectSrc('ws://127.0.0.1:*  wss://*.example.com')).toEqual([
      'ws://127.0.0.1:*',
      'wss://*.example.com',
    ]);
    expect(parseConnectSrc(undefined)).toEqual([]);
  });

  test('npm start refuses a bad --connect-src before building, with a sentence', () => {
    const run = spawnSync(
      process.execPath,
      [
        join(__dirname, '../../scripts/start.js'),
        '--no-build',
        '--connect-src',
        'javascript:alert(1)',
      ],
      { encoding: 'utf8', env: { ...process.env, VITRINE_CONNECT_SRC: '' } },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /"javascript:alert\(1\)" is not a server address for the security policy/,
    );
    const origin = spawnSync(
      process.execPath,
      [join(__dirname, '../../scripts/start.js'), '--no-build', '--allow-origin', 'example'],
      { encoding: 'utf8' },
    );
    expect(origin.status).toBe(2);
    expect(origin.stderr).toMatch(/--allow-origin takes a page's address/);
  });
});
