import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The UI is built into web/dist, which Vigil serves at / (see src/api/web-ui.ts).
// `npm run dev:web` proxies the API to a Vigil on 127.0.0.1:9797.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        // The editors and the charts are big and shared by several pages: their own chunks,
        // loaded only by the pages that need them (never by the overview).
        advancedChunks: {
          groups: [
            { name: 'editor', test: /node_modules[\\/](@codemirror|@lezer|@prometheus-io|lru-cache|style-mod|w3c-keyname|crelt)/ },
            { name: 'charts', test: /node_modules[\\/]uplot/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(['/api', '/loki'].map((p) => [p, { target: 'http://127.0.0.1:9797', changeOrigin: false }])),
  },
});
