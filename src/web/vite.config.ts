// Builds the browser UI (src/web/app) into .cache/web, which the appliance serves at /
// (src/web/web-routes.ts). `npm run build:web`; for development, `npx vite --config
// src/web/vite.config.ts` proxies /api and /healthz to a running Deskline (DESKLINE_URL).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./app/', import.meta.url));
// DESKLINE_WEB_BUILD: the same override src/web/web-routes.ts reads.
const outDir = process.env.DESKLINE_WEB_BUILD ?? fileURLToPath(new URL('../../.cache/web/', import.meta.url));
const target = process.env.DESKLINE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir, emptyOutDir: true, assetsDir: 'assets', sourcemap: false, reportCompressedSize: false },
  server: { proxy: { '/api': { target, changeOrigin: false }, '/healthz': target } },
  logLevel: 'warn',
});
