// store.jsonl: one {"section","key","value"} object per line, sections and keys in store order.
import { parseJsonObject } from '../core/json-object.ts';
import { StringDecoder } from 'node:string_decoder';
import { checkSectionName, type StoreEntry } from '../store/store.ts';

/**
 * Splits chunked UTF-8 text into lines synchronously: a chunk's lines come back as one array, so
 * hundreds of thousands of store lines do not each cost an async generator hop (measured: that
 * hop, not LevelDB, was what held restore back).
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  /** 1-based number of the last line handed out. */
  number = 0;

  push(chunk: Buffer): string[] {
    const parts = (this.rest + this.decoder.write(chunk)).split('\n');
    this.rest = parts.pop()!;
    this.number += parts.length;
    return parts;
  }

  end(): string[] {
    const last = this.rest + this.decoder.end();
    this.rest = '';
    if (last === '') return [];
    this.number++;
    return [last];
  }
}

/** One line of store.jsonl, or what is wrong with it. */
export function parseStoreLine(text: string): StoreEntry | { problem: string } {
  const parsed = parseJsonObject(text);
  if ('problem' in parsed) return parsed;
  const line = parsed.object;
  if (typeof line.section !== 'string') return { problem: 'missing "section"' };
  try {
    checkSectionName(line.section);
  } catch {
    return { problem: `bad section name ${JSON.stringify(line.section.slice(0, 40))}` };
  }
  if (typeof line.key !== 'string') return { problem: 'missing "key"' };
  if (!('value' in line)) return { problem: 'missing "value"' };
  return { section: line.section, key: line.key, value: line.value };
}
