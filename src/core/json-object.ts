/** One line of a JSON-lines file as an object, or what is wrong with it (for per-line errors). */
export function parseJsonObject(text: string): { object: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'not a JSON object' };
  return { object: value as Record<string, unknown> };
}
