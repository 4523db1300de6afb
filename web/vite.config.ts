import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const dir = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// root: web/ ; the build goes to dist/web at the repository root (served by `npm start`).
export default defineConfig({
  root: dir('.'),
  plugins: [react()],
  build: { outDir: dir('../dist/web'), emptyOutDir: true, sourcemap: false },
  server: {
    port: 5173,
    // The API runs apart (npm start, port 3000); the browser still sees one origin, so the
    // session cookie and the server's Origin check behave as in production.
    proxy: { '/api': { target: process.env.CHANTIER_API ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
