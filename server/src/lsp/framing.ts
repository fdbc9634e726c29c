/**
 * A guard in front of the JSON-RPC reader on stdin. vscode-jsonrpc's stream reader trusts the
 * framing: one garbage byte before a header, a `Content-Length` that is not a number, or one that
 * is too short or too long, and every later message is misread — the server stays up but never
 * answers again. This transform passes well-formed frames through unchanged and, on a malformed
 * one, drops bytes up to the next `Content-Length:` header and carries on, so the next good message
 * is answered. A frame whose length is too long still waits for that many bytes (it cannot be told
 * from a slow writer); the message the extra bytes came from is then recovered from inside it.
 */
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const CONTENT_LENGTH = /content-length:/i;
/** No client sends a message this large; a longer length is a corrupt header. */
const MAX_BODY = 512 * 1024 * 1024;
/** Bodies up to this size are parsed to check them; larger ones get a cheap shape check. */
const PARSE_CHECK_LIMIT = 4 * 1024 * 1024;
const MAX_HEADER = 8 * 1024;

export class FrameGuard extends Transform {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Header length and body length of the frame being read, once its header is parsed. */
  private pending: { header: number; body: number } | undefined;

  constructor(private readonly report: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.drain();
    } catch (err) {
      // Never let the guard itself end the stream: start over on the next bytes.
      this.report(`citecheck: the message reader failed (${(err as Error)?.message ?? err}); input dropped`);
      this.chunks = [];
      this.length = 0;
      this.pending = undefined;
    }
    done();
  }

  private buffer(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(n: number): void {
    const b = this.buffer();
    const rest = b.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
  }

  private skip(n: number, why: string): void {
    this.consume(n);
    this.report(`citecheck: dropped ${n} bytes of malformed input (${why})`);
  }

  private drain(): void {
    for (;;) {
      if (this.pending) {
        const total = this.pending.header + this.pending.body;
        // A large body arrives in many chunks: wait without copying them together.
        if (this.length < total) return;
        const b = this.buffer();
        const body = b.subarray(this.pending.header, total);
        const header = this.pending.header;
        this.pending = undefined;
        if (looksLikeJson(body)) {
          this.push(b.subarray(0, total));
          this.consume(total);
        } else {
          // Too short or too long: the next header may be inside what it claimed. Skip this header only.
          this.skip(header, 'the body is not the JSON its Content-Length announced');
        }
        continue;
      }
      if (!this.length) return;
      const b = this.buffer();
      const text = b.toString('latin1');
      const at = text.search(CONTENT_LENGTH);
      // Headers begin at `Content-Length` (or `Content-Type`, then `Content-Length`).
      const start = /^content-type:[^\r\n]*\r\ncontent-length:/i.test(text) ? 0 : at;
      if (start < 0) {
        // Keep a tail that may be the start of a header split across chunks.
        const keep = Math.min(b.length, 15);
        if (b.length - keep > 0) this.skip(b.length - keep, 'no Content-Length header');
        return;
      }
      if (start > 0) {
        this.skip(start, 'bytes before a Content-Length header');
        continue;
      }
      const end = b.indexOf(HEADER_END);
      if (end < 0) {
        if (b.length > MAX_HEADER) this.skip(1, 'a header without an end');
        return;
      }
      const lines = b.toString('latin1', 0, end).split('\r\n');
      let body = -1;
      let ok = true;
      for (const line of lines) {
        const m = /^([A-Za-z-]+):[ \t]*(.*)$/.exec(line);
        if (!m) { ok = false; break; }
        if (m[1].toLowerCase() === 'content-length') {
          if (!/^\d+$/.test(m[2].trim()) || Number(m[2]) > MAX_BODY) { ok = false; break; }
          body = Number(m[2]);
        }
      }
      if (!ok || body < 0) {
        this.skip(1, 'a malformed header');
        continue;
      }
      this.pending = { header: end + HEADER_END.length, body };
    }
  }
}

function looksLikeJson(body: Buffer): boolean {
  if (body.length <= PARSE_CHECK_LIMIT) {
    try {
      const v: unknown = JSON.parse(body.toString('utf8'));
      return typeof v === 'object' && v !== null;
    } catch {
      return false;
    }
  }
  let i = 0;
  let j = body.length - 1;
  while (i < j && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  while (j > i && (body[j] === 0x20 || body[j] === 0x0a || body[j] === 0x0d || body[j] === 0x09)) j--;
  return (body[i] === 0x7b && body[j] === 0x7d) || (body[i] === 0x5b && body[j] === 0x5d);
}
