// Builds the dashboard into ui/build (committed; the gateway serves it at /ui).
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/ui/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'build',
    emptyOutDir: true,
    sourcemap: false,
    // One small bundle: the page must paint in well under a second from the gateway.
    chunkSizeWarningLimit: 400,
  },
});
