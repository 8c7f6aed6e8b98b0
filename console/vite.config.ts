import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

/**
 * The console is served by the core at /console (core/src/http/web-app-routes.ts). `npm run dev -w
 * @switchboard/console` proxies the API and the realtime socket to a core on 127.0.0.1:3000.
 */
export default defineConfig({
  base: '/console/',
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200, reportCompressedSize: false },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/nes': 'http://127.0.0.1:3000',
      '/hooks': 'http://127.0.0.1:3000',
      '/realtime': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
})
