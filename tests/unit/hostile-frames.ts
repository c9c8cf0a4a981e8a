/**
 * Raw WebSocket frames that no browser sends but any program (or a page through a buggy
 * browser) can: what the servers must survive. Helpers for the server tests, not a test file.
 * Frame layout from RFC 6455 §5.2.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

/** Build one frame. Client frames are masked unless `mask: false`. */
export function frame(opts: {
  opcode: number;
  payload?: Uint8Array;
  fin?: boolean;
  rsv?: number;
  mask?: boolean;
  /** Announce this length instead of the payload's (for oversize and truncated frames). */
  length?: number;
}): Buffer {
  const payload = Buffer.from(opts.payload ?? new Uint8Array());
  const length = opts.length ?? payload.length;
  const mask = opts.mask ?? true;
  const head = [((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opts.opcode];
  const m = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(m | length);
  else if (length < 65536) {
    head.push(m | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(m | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

const text = (s: string) => new TextEncoder().encode(s);

/** One hostile input per class: bytes to send after the handshake, then (maybe) hang up. */
export interface HostileCase {
  readonly name: string;
  readonly bytes: Buffer;
  /** Close our side after sending (the frame is cut off). */
  readonly hangUp?: boolean;
}

export const HOSTILE_CASES: readonly HostileCase[] = [
  // Announces 2 GiB: more than any server's size limit (ws's default is 100 MiB).
  { name: 'oversize frame', bytes: frame({ opcode: 1, payload: text('{"a":'), length: 2 ** 31 }) },
  {
    name: 'oversize message in fragments',
    bytes: Buffer.concat([
      frame({ opcode: 2, fin: false, payload: randomBytes(60_000) }),
      ...Array.from({ length: 40 }, () =>
        frame({ opcode: 0, fin: false, payload: randomBytes(60_000) }),
      ),
    ]),
  },
  { name: 'invalid UTF-8 text', bytes: frame({ opcode: 1, payload: Uint8Array.of(0xc3, 0x28) }) },
  { name: 'RSV1 set', bytes: frame({ opcode: 1, rsv: 4, payload: text('{}') }) },
  { name: 'RSV2 and RSV3 set', bytes: frame({ opcode: 2, rsv: 3, payload: text('x') }) },
  { name: 'unmasked client frame', bytes: frame({ opcode: 1, payload: text('{}'), mask: false }) },
  { name: 'reserved data opcode', bytes: frame({ opcode: 3, payload: text('x') }) },
  { name: 'reserved control opcode', bytes: frame({ opcode: 0xb }) },
  {
    name: 'continuation with nothing to continue',
    bytes: frame({ opcode: 0, payload: text('x') }),
  },
  { name: 'fragmented ping', bytes: frame({ opcode: 9, fin: false }) },
  { name: 'ping longer than 125 bytes', bytes: frame({ opcode: 9, payload: randomBytes(200) }) },
  {
    name: 'close with a reserved code',
    bytes: frame({ opcode: 8, payload: Uint8Array.of(3, 237) }),
  },
  {
    name: 'truncated frame',
    bytes: frame({ opcode: 1, payload: text('{"type":'), length: 100 }).subarray(0, 12),
    hangUp: true,
  },
  { name: 'garbage instead of a frame', bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n') },
];

/**
 * Open a TCP connection to `port` and send a WebSocket upgrade request (with `origin` when
 * given); resolves with the socket and the response's status line once the response head
 * has arrived (or with `closed` if the server hung up first).
 */
export function rawUpgrade(
  port: number,
  origin?: string,
): Promise<{ socket: Socket; status: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({ socket, status: head.slice(0, head.indexOf('\r\n')) });
    };
    const onClose = () => resolve({ socket, status: 'closed' });
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', reject);
    socket.write(
      'GET / HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${port}\r\n` +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
        'Sec-WebSocket-Version: 13\r\n' +
        (origin ? `Origin: ${origin}\r\n` : '') +
        '\r\n',
    );
  });
}

const PROBE = Buffer.from('probe');
// The server's answer to our probe ping: an unmasked pong frame carrying PROBE.
const PONG = Buffer.concat([Buffer.from([0x8a, PROBE.length]), PROBE]);

/**
 * Upgrade, send one hostile case, and wait until the server has dealt with it: it closed
 * the connection, or (for a frame it may accept, such as an unfinished fragmented message)
 * it answered the ping sent right after. With `webSocket: false` (a server that answers the
 * upgrade as a plain HTTP request and then ignores the bytes) only the sending is awaited.
 * Our side is closed in every case. Resolves with the status line of the upgrade.
 */
export async function sendHostile(port: number, c: HostileCase, webSocket = true): Promise<string> {
  const { socket, status } = await rawUpgrade(port);
  if (socket.closed) return status;
  // A server may answer with a reset while we still write: that is a refusal too.
  socket.on('error', () => undefined);
  const handled = new Promise<void>((resolve) => {
    let seen = Buffer.alloc(0);
    socket.once('close', () => resolve());
    socket.on('data', (d: Buffer) => {
      seen = Buffer.concat([seen, d]);
      if (seen.includes(PONG)) resolve();
    });
  });
  if (c.hangUp) socket.end(c.bytes);
  else if (webSocket) socket.write(Buffer.concat([c.bytes, frame({ opcode: 9, payload: PROBE })]));
  else await new Promise<void>((resolve) => socket.write(c.bytes, () => resolve()));
  if (webSocket || c.hangUp) await handled;
  socket.destroy();
  return status;
}
