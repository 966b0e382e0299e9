// A small ustar (POSIX.1-1988) writer and reader, streaming both ways. Written here rather than
// calling Debian's `tar`: restore must check every member's sha256 before it writes anything, and
// must turn any damage into one clear error naming the member; an own reader gives us both, needs
// no tool on the box, and the archives stay readable by `tar xzf` for a human.
// Only what a backup holds is supported: regular files (and directories, skipped), names up to
// 255 bytes through the prefix field, sizes below 8 GiB (octal field).
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { isSafeRelativePath } from '../recordings/manifest.ts';
import { damaged } from './errors.ts';

const block = 512;
const maxSize = 8 ** 11 - 1;
const zeroBlock = Buffer.alloc(block);

export interface TarFileInfo {
  size: number;
  /** Permission bits, e.g. 0o640. */
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export interface TarMember extends TarFileInfo {
  name: string;
  type: 'file' | 'directory';
}

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as GNU tar writes them.
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function splitName(name: string): { name: string; prefix: string } {
  const bytes = Buffer.byteLength(name);
  if (bytes <= 100) return { name, prefix: '' };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest.length > 0) return { name: rest, prefix };
  }
  throw new Error(`path too long for a ustar archive (${bytes} bytes): ${name}`);
}

export function tarHeader(name: string, info: TarFileInfo): Buffer {
  if (!isSafeRelativePath(name)) throw new Error(`not a safe relative path: ${JSON.stringify(name)}`);
  if (!Number.isSafeInteger(info.size) || info.size < 0 || info.size > maxSize) throw new Error(`${name}: size ${info.size} does not fit a ustar header`);
  const split = splitName(name);
  const header = Buffer.alloc(block);
  header.write(split.name, 0, 100, 'utf8');
  header.write(octal(info.mode & 0o7777, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(info.size, 12), 124, 'ascii');
  header.write(octal(Math.max(0, Math.floor(info.mtime)), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write('root', 265, 'ascii');
  header.write('root', 297, 'ascii');
  header.write(split.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

function write(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = out.write(chunk, (error) => (error ? reject(error) : undefined));
    if (ok) resolve();
    else {
      const onDrain = () => {
        out.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        out.off('drain', onDrain);
        reject(error);
      };
      out.once('drain', onDrain);
      out.once('error', onError);
    }
  });
}

/** Writes members one after the other into `out` (usually a gzip stream); ends with finish(). */
export class TarWriter {
  constructor(private readonly out: Writable) {}

  /**
   * Writes one file; the body must yield exactly `info.size` bytes (a file that changed size
   * while it was read is an error, not a silently short member). Resolves with its sha256.
   */
  async addFile(name: string, info: TarFileInfo, body: AsyncIterable<Buffer> | Buffer): Promise<string> {
    await write(this.out, tarHeader(name, info));
    const hash = createHash('sha256');
    let written = 0;
    const chunks = Buffer.isBuffer(body) ? [body] : body;
    for await (const chunk of chunks) {
      written += chunk.length;
      if (written > info.size) throw new Error(`${name}: grew while it was read (more than ${info.size} bytes)`);
      hash.update(chunk);
      await write(this.out, chunk);
    }
    if (written !== info.size) throw new Error(`${name}: shrank while it was read (${written} of ${info.size} bytes)`);
    const padding = (block - (info.size % block)) % block;
    if (padding) await write(this.out, zeroBlock.subarray(0, padding));
    return hash.digest('hex');
  }

  /** The end-of-archive marker (two zero blocks), then ends the stream and waits for it. */
  async finish(): Promise<void> {
    await write(this.out, Buffer.alloc(block * 2));
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }
}

/** Pulls exact byte counts out of a chunked source. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private done = false;
  /** Bytes handed out so far: where the reader is in the (uncompressed) archive. */
  offset = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(wanted: number): Promise<void> {
    while (this.length < wanted && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else if (next.value.length) {
        this.buffered.push(next.value);
        this.length += next.value.length;
      }
    }
  }

  /** Up to `max` bytes (fewer only at the end of the source), without copying when it can. */
  async readSome(max: number): Promise<Buffer> {
    await this.fill(1);
    if (this.length === 0) return Buffer.alloc(0);
    const first = this.buffered[0]!;
    let out: Buffer;
    if (first.length <= max) {
      out = first;
      this.buffered.shift();
    } else {
      out = first.subarray(0, max);
      this.buffered[0] = first.subarray(max);
    }
    this.length -= out.length;
    this.offset += out.length;
    return out;
  }

  /** Exactly n bytes, or fewer when the source ended first. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0 && this.length > 0) {
      const part = await this.readSome(left);
      parts.push(part);
      left -= part.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? length : nul).toString('utf8');
}

function parseOctal(header: Buffer, start: number, length: number, what: string, at: number): number {
  const text = field(header, start, length).trim();
  if (!/^[0-7]{1,12}$/.test(text)) throw damaged(`bad ${what} field in the tar header at byte ${at}`);
  return parseInt(text, 8);
}

function parseHeader(header: Buffer, at: number): TarMember {
  let sum = 0;
  for (let i = 0; i < block; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  const stored = parseOctal(header, 148, 8, 'checksum', at);
  if (stored !== sum) throw damaged(`tar header checksum mismatch at byte ${at} (not a Deskline backup, or damaged)`);
  const magic = field(header, 257, 6);
  if (magic !== 'ustar' && magic !== 'ustar ') throw damaged(`not a ustar header at byte ${at}`);
  const prefix = field(header, 345, 155);
  const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
  const typeflag = String.fromCharCode(header[156]!);
  const type = typeflag === '0' || typeflag === '\0' ? 'file' : typeflag === '5' ? 'directory' : undefined;
  const clean = name.replace(/\/$/, '');
  if (!type) throw damaged(`member type ${JSON.stringify(typeflag)} is not a file or folder (a backup holds neither links nor devices)`, clean);
  if (!isSafeRelativePath(clean)) throw damaged('unsafe member path (absolute, "..", or empty)', JSON.stringify(name));
  return {
    name: clean,
    type,
    mode: parseOctal(header, 100, 8, 'mode', at) & 0o7777,
    size: type === 'directory' ? 0 : parseOctal(header, 124, 12, 'size', at),
    mtime: parseOctal(header, 136, 12, 'mtime', at),
  };
}

/**
 * The members of a tar stream in order. Each member's body must be read (or left) before the
 * next one is asked for; an unread body is skipped. Truncation, bad headers and trailing garbage
 * throw DESKLINE_BACKUP_DAMAGED naming the member or the byte offset.
 */
export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<{ member: TarMember; body: AsyncIterable<Buffer> }> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  for (;;) {
    const at = reader.offset;
    const header = await reader.read(block);
    if (header.length === 0) throw damaged('truncated: the archive ends without its end-of-archive marker');
    if (header.length < block) throw damaged(`truncated inside a tar header at byte ${at}`);
    if (header.equals(zeroBlock)) {
      // End of archive: what follows may only be zero padding (tar pads to whole records).
      for (let rest = await reader.readSome(65536); rest.length; rest = await reader.readSome(65536)) {
        if (rest.some((byte) => byte !== 0)) throw damaged(`data after the end-of-archive marker at byte ${reader.offset - rest.length}`);
      }
      return;
    }
    const member = parseHeader(header, at);
    let left = member.size;
    const padded = member.size + ((block - (member.size % block)) % block);
    let consumed = false;
    const body: AsyncIterable<Buffer> = {
      async *[Symbol.asyncIterator]() {
        if (consumed) throw new Error(`${member.name}: body already read`);
        consumed = true;
        while (left > 0) {
          const chunk = await reader.readSome(Math.min(left, 1 << 20));
          if (chunk.length === 0) throw damaged(`truncated: ${left} of ${member.size} bytes missing`, member.name);
          left -= chunk.length;
          yield chunk;
        }
      },
    };
    yield { member, body };
    // Skip what the consumer left unread, then the padding to the next header.
    while (left > 0) {
      const chunk = await reader.readSome(Math.min(left, 1 << 20));
      if (chunk.length === 0) throw damaged(`truncated: ${left} of ${member.size} bytes missing`, member.name);
      left -= chunk.length;
    }
    const padding = padded - member.size;
    if (padding && (await reader.read(padding)).length < padding) throw damaged('truncated in the padding after the member', member.name);
  }
}
