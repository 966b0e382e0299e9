// The browser UI at /: files Vite built (npm run build:web → .cache/web). Hashed files under
// /assets/ are cached for a year (their name changes with their content); index.html is
// answered for every other page path (the client router decides) and never cached, so a new
// build shows at the next load. /api/* and /healthz are not the UI's: they pass through
// untouched, so the API's own answers (including its 404s) stay as they are.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';

/** Where `npm run build:web` writes the UI (src/web/vite.config.ts says the same). DESKLINE_WEB_BUILD
 * moves it, so engineers building and testing different pages at once do not overwrite each other. */
export const WEB_BUILD_DIR = process.env.DESKLINE_WEB_BUILD ? resolve(process.env.DESKLINE_WEB_BUILD) + sep : fileURLToPath(new URL('../../.cache/web/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
// The page may talk only to this server: scripts and styles are its own files, the API and the
// event stream are same-origin. Inline style attributes are React's (element.style), allowed.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deskline: web UI not built</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>The web UI is not built</h1>
<p>This Deskline serves its admin API at <a href="/api/v1/docs">/api/v1/docs</a>, but the browser UI has not been built on this machine.</p>
<p>Build it from the Deskline folder with <code>npm run build:web</code> (<code>deploy/setup.sh</code> does this), then reload this page.</p>
<p>网页界面尚未构建：请在 Deskline 目录运行 <code>npm run build:web</code>，然后刷新本页。</p>
</body></html>
`;

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/') || path === '/healthz' || path.startsWith('/healthz/');

/** A file under `dir` named by the URL path, or undefined when it is not one (or escapes `dir`). */
async function fileAt(dir: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const full = resolve(dir, `.${decoded}`);
  if (!full.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
  const info = await stat(full).catch(() => undefined);
  return info?.isFile() ? full : undefined;
}

function send(c: Context, body: Buffer | string, type: string, cacheControl: string, status: 200 | 404 = 200) {
  c.header('content-type', type);
  c.header('cache-control', cacheControl);
  c.header('x-content-type-options', 'nosniff');
  if (type.startsWith('text/html')) {
    c.header('content-security-policy', CSP);
    c.header('referrer-policy', 'same-origin');
  }
  if (c.req.method === 'HEAD') return c.body(null, status);
  return typeof body === 'string' ? c.body(body, status) : c.body(new Uint8Array(body), status);
}

export function webRoutes(options: { dir?: string } = {}): Hono {
  const dir = resolve(options.dir ?? WEB_BUILD_DIR);
  const app = new Hono();
  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const path = c.req.path;
    if (isApiPath(path)) return next();
    const index = join(dir, 'index.html');
    const page = await readFile(index).catch(() => undefined);
    if (!page) return send(c, NOT_BUILT_HTML, CONTENT_TYPES['.html']!, 'no-store', 404);

    const file = path === '/' ? undefined : await fileAt(dir, path);
    if (file) {
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return send(c, await readFile(file), type, path.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
    }
    // A missing asset is a 404, not the page: a stale index.html naming an old hash should fail
    // loudly rather than load HTML as a script. Only file types the UI is built of count as
    // files: a page path may hold a dot (/recordings/1795567350.0 is a call id).
    if (path.startsWith('/assets/') || extname(path).toLowerCase() in CONTENT_TYPES) return c.text('not found', 404);
    return send(c, page, CONTENT_TYPES['.html']!, 'no-cache');
  });
  return app;
}
