// Bundles the web chat widget (core/widget/src, browser TypeScript) into core/widget/dist/widget.js,
// which the core serves at /widget.js: part of `npm run build`.
import { statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../core/widget/', import.meta.url))
const outfile = `${root}dist/widget.js`
await build({
  entryPoints: [`${root}src/main.ts`],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
})
console.log(`widget: ${(statSync(outfile).size / 1024).toFixed(1)} KB`)
