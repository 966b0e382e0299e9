// Talks to a running Deskline over its control socket (<store>/deskline.sock).
import { request } from 'node:http';

export class ControlUnavailable extends Error {}

export function controlRequest<T>(socketPath: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, timeoutMs = 15_000): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T });
        } catch {
          reject(new Error(`control socket answered ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') reject(new ControlUnavailable(`Deskline is not running (no control socket at ${socketPath})`));
      else reject(error);
    });
    // A service that accepts but never answers must not hang the CLI.
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`control socket gave no answer to ${method} ${path} within ${timeoutMs / 1000} s`)));
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}
