import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/**
 * The flow builder is served by the core at /builder (core/src/http/web-app-routes.ts). `npm run dev
 * -w @switchboard/flow-builder` proxies the API and the realtime socket to a core on 127.0.0.1:3000.
 */
export default defineConfig({
  base: '/builder/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500, reportCompressedSize: false },
  server: {
    host: '127.0.0.1',
    port: 5174,
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/nes': 'http://127.0.0.1:3000',
      '/console': 'http://127.0.0.1:3000',
      '/realtime': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
})
