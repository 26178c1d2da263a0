// Builds the web shell from web/ into web/dist; the Fastify server serves that folder in production.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// No node:path here: this file is type-checked with the DOM-only web tsconfig.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);
const contracts = decodeURIComponent(new URL('../src/contracts/index.ts', import.meta.url).pathname);

export default defineConfig({
  root,
  plugins: [react()],
  resolve: { alias: { '@contracts': contracts } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
});
