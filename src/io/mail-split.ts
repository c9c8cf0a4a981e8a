/**
 * Splitting a mailbox into messages, streamed: bytes go in chunk by chunk ({@link
 * MailSplitter.push}), each message's header block comes out; bodies are skipped without
 * being kept, so a 2 GB mbox never sits in memory. Hand-written: see
 * docs/decisions/0013-mail-import.md (no kept library splits mbox in a browser worker).
 *
 * mbox (Gmail Takeout, Thunderbird, Apple Mail, mutt; mboxo, mboxrd and mboxcl alike): a
 * message starts at a line `From <anything>` — not `From:` — that either follows an empty
 * line (or starts the file) or looks like a real separator (`From addr Tue Mar  3 …`),
 * AND is followed by a header line. So a body line "From here on…" that a careless
 * writer left unquoted does not split a message, `>From ` quoting is simply body, and a
 * separator whose date is broken or missing still splits. `.eml`: one message, its
 * headers up to the first empty line (a leading `From ` line is tolerated).
 */

/** A header block larger than this is not read (the message is skipped with a reason). */
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** What the splitter hands on for each message. */
export interface SplitMessage {
  /** The header block's bytes (without the empty line that ends it). */
  header: Uint8Array;
  /** The mbox separator line, when there was one (its date is a fallback). */
  fromLine?: string;
  /** 1-based message number in the file and the line its headers start at. */
  index: number;
  line: number;
  /** Its header block was larger than {@link MAX_HEADER_BYTES}: not kept. */
  tooLarge?: boolean;
}

const LF = 10;
const CR = 13;

/** Does `buf[start…end)` (one line without its end) start with `From ` but not `From:`? */
function isFromLine(buf: Uint8Array, start: number, end: number): boolean {
  if (
    end - start < 5 ||
    buf[start] !== 0x46 /* F */ ||
    buf[start + 1] !== 0x72 ||
    buf[start + 2] !== 0x6f ||
    buf[start + 3] !== 0x6d ||
    buf[start + 4] !== 0x20
  )
    return false;
  // "From : x" (whitespace before the colon) is an obsolete header, not a separator.
  let i = start + 5;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  return i >= end || buf[i] !== 0x3a;
}

/** Does the line look like a header field (`Name:` with a printable name) or a fold? */
function isHeaderLine(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    if (c === 0x3a) return i > start;
    if (c <= 0x20 || c >= 0x7f) {
      // Whitespace before the colon ("Subject :") is obsolete but real.
      if (c !== 0x20 && c !== 0x09) return false;
      let j = i;
      while (j < end && (buf[j] === 0x20 || buf[j] === 0x09)) j++;
      return i > start && j < end && buf[j] === 0x3a;
    }
    i++;
  }
  return false;
}

const ASCTIME = /^From \S+ +(?:[A-Za-z]{3},? +)?[A-Za-z]{3} +\d{1,2} +\d{1,2}:\d{2}/;

const latin1 = new TextDecoder('latin1');

/**
 * Streamed mailbox splitter. `push` bytes in any chunk sizes, then `end()`; `onMessage`
 * is called once per message, in order.
 */
export class MailSplitter {
  private phase: 'start' | 'header' | 'body' = 'start';
  private carry = new Uint8Array(0);
  private carryLen = 0;
  /** Skipping the rest of an over-long line (no newline within the limit). */
  private skippingLine = false;
  /** The header block so far, in one buffer reused from message to message. */
  private head = new Uint8Array(16384);
  private size = 0;
  private tooLarge = false;
  private fromLine: string | undefined;
  private startLine = 0;
  private prevBlank = true;
  /** A `From ` line seen in a body, waiting for the next line to say whether it splits. */
  private pending: { text: string; line: number } | undefined;
  private lineNo = 0;
  private count = 0;
  /** Bytes taken in so far. */
  bytes = 0;

  constructor(
    private readonly mode: 'mbox' | 'eml',
    private readonly onMessage: (m: SplitMessage) => void,
  ) {
    if (mode === 'eml') this.phase = 'start';
  }

  /** Messages handed on so far. */
  get messages(): number {
    return this.count;
  }

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let pos = 0;
    if (this.skippingLine) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) return;
      this.skippingLine = false;
      this.lineNo++;
      this.prevBlank = false;
      pos = nl + 1;
    } else if (this.carryLen) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      this.append(chunk, 0, nl + 1);
      const line = this.carry;
      const len = this.carryLen;
      this.carryLen = 0;
      this.line(line, 0, len);
      pos = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) break;
      this.line(chunk, pos, nl + 1);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.append(chunk, pos, chunk.length);
  }

  /** The input is over: hand on the last message. */
  end(): void {
    if (this.carryLen) {
      const len = this.carryLen;
      this.carryLen = 0;
      this.line(this.carry, 0, len);
    }
    if (this.pending) {
      // A `From ` line as the very last line: body text.
      this.pending = undefined;
    }
    if (this.phase === 'header') this.emit();
    this.phase = 'start';
  }

  private append(buf: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.carryLen + n > MAX_HEADER_BYTES) {
      // A line longer than any header we read: drop it (a header block holding it is
      // skipped as too large; in a body it cannot be a separator).
      if (this.phase === 'header') {
        this.tooLarge = true;
        this.size = 0;
      }
      this.carryLen = 0;
      this.skippingLine = true;
      return;
    }
    if (this.carry.length < this.carryLen + n) {
      const next = new Uint8Array(Math.max(4096, (this.carryLen + n) * 2));
      next.set(this.carry.subarray(0, this.carryLen));
      this.carry = next;
    }
    this.carry.set(buf.subarray(start, end), this.carryLen);
    this.carryLen += n;
  }

  /** One line `buf[start…end)`, `end` just after its `\n` (or the end of input). */
  private line(buf: Uint8Array, start: number, end: number): void {
    this.lineNo++;
    let e = end;
    if (e > start && buf[e - 1] === LF) e--;
    if (e > start && buf[e - 1] === CR) e--;
    const blank = e === start;
    switch (this.phase) {
      case 'start': {
        if (blank) return;
        if (isFromLine(buf, start, e)) {
          this.begin(latin1.decode(buf.subarray(start, e)), this.lineNo + 1);
          return;
        }
        // No separator first: a message on its own (an .eml, or a mailbox whose first
        // separator was lost). Its headers start here.
        this.begin(undefined, this.lineNo);
        this.headerLine(buf, start, end, e);
        return;
      }
      case 'header': {
        if (blank) {
          this.emit();
          this.phase = 'body';
          this.prevBlank = true;
          return;
        }
        if (this.mode === 'mbox' && isFromLine(buf, start, e) && this.size > 0) {
          // The next message starts before this one's headers ended (no body at all).
          this.emit();
          this.begin(latin1.decode(buf.subarray(start, e)), this.lineNo + 1);
          return;
        }
        this.headerLine(buf, start, end, e);
        return;
      }
      case 'body': {
        if (this.mode === 'eml') return;
        if (this.pending) {
          const p = this.pending;
          this.pending = undefined;
          if (isHeaderLine(buf, start, e)) {
            this.begin(p.text, p.line);
            this.headerLine(buf, start, end, e);
            return;
          }
        }
        if (isFromLine(buf, start, e)) {
          const text = latin1.decode(buf.subarray(start, Math.min(e, start + 1000)));
          if (this.prevBlank || ASCTIME.test(text)) {
            this.pending = { text, line: this.lineNo + 1 };
            this.prevBlank = false;
            return;
          }
        }
        this.prevBlank = blank;
        return;
      }
    }
  }

  private begin(fromLine: string | undefined, line: number): void {
    this.phase = 'header';
    this.fromLine = fromLine;
    this.startLine = line;
    this.size = 0;
    this.tooLarge = false;
  }

  private headerLine(buf: Uint8Array, start: number, end: number, e: number): void {
    if (this.tooLarge) return;
    if (this.mode === 'eml' && this.size === 0 && isFromLine(buf, start, e)) {
      this.fromLine = latin1.decode(buf.subarray(start, e));
      return;
    }
    const n = end - start;
    if (this.size + n > MAX_HEADER_BYTES) {
      this.tooLarge = true;
      this.size = 0;
      return;
    }
    // Copied into the one reused buffer (the chunk's may be reused by the stream after
    // this call): no allocation per line.
    if (this.head.length < this.size + n) {
      const next = new Uint8Array(
        Math.min(MAX_HEADER_BYTES, Math.max(2 * this.head.length, this.size + n)),
      );
      next.set(this.head.subarray(0, this.size));
      this.head = next;
    }
    const head = this.head;
    if (n < 256) {
      // A short line by hand: a subarray view per line costs more than the copy.
      for (let i = 0, at = this.size; i < n; i++) head[at + i] = buf[start + i]!;
    } else head.set(buf.subarray(start, end), this.size);
    this.size += n;
  }

  private emit(): void {
    this.count++;
    // One copy per message, exactly its size: the receiver may keep it.
    const header = this.tooLarge ? new Uint8Array(0) : this.head.slice(0, this.size);
    const m: SplitMessage = { header, index: this.count, line: this.startLine };
    if (this.fromLine !== undefined) m.fromLine = this.fromLine;
    if (this.tooLarge) m.tooLarge = true;
    this.size = 0;
    // A huge header block once does not keep a huge buffer for the rest of the file.
    if (this.head.length > 1 << 20) this.head = new Uint8Array(16384);
    this.tooLarge = false;
    this.onMessage(m);
  }
}
