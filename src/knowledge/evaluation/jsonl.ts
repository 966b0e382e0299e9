/** Reading `{"text","label"}` JSONL files for the benchmark and `deskline kb bench` (the only IO in knowledge/). */
import { readFile } from 'node:fs/promises';
import type { Labelled } from './centroid-baseline.ts';

export class DatasetError extends Error {
  constructor(readonly code: 'KB_DATASET_INVALID', message: string) { super(message); }
}

export async function readLabelled(file: string): Promise<Labelled[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const out: Labelled[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let row: unknown;
    try { row = JSON.parse(line); } catch { throw new DatasetError('KB_DATASET_INVALID', `${file}:${i + 1}: not JSON`); }
    const { text, label } = (row ?? {}) as { text?: unknown; label?: unknown };
    if (typeof text !== 'string' || (typeof label !== 'string' && typeof label !== 'number')) {
      throw new DatasetError('KB_DATASET_INVALID', `${file}:${i + 1}: needs a string "text" and a "label"`);
    }
    out.push({ text, label: String(label) });
  });
  return out;
}
