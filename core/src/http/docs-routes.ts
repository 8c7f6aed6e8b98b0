import { dirname } from 'node:path'
import { createRequire } from 'node:module'
import type { ServerRoute } from '@hapi/hapi'

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Switchboard API</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
  <style>body { margin: 0 } .topbar { display: none }</style>
</head>
<body>
  <div id="api-docs"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`

const init = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#api-docs',
  deepLinking: true,
  persistAuthorization: true,
  withCredentials: true,
  tryItOutEnabled: false,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
});`

/** The browsable API reference (Swagger UI from swagger-ui-dist) at /api/docs. */
export function docsRoutes(openapi: () => unknown): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/openapi.json',
      options: { auth: false },
      handler: (_r, h) => h.response(openapi() as object).type('application/json'),
    },
    {
      method: 'GET',
      path: '/api/docs',
      options: { auth: false },
      handler: (_r, h) => h.response(page).type('text/html; charset=utf-8'),
    },
    {
      method: 'GET',
      path: '/api/docs/init.js',
      options: { auth: false },
      handler: (_r, h) => h.response(init).type('text/javascript; charset=utf-8'),
    },
    {
      method: 'GET',
      path: '/api/docs/assets/{file}',
      options: { auth: false },
      handler: {
        directory: { path: swaggerUiDir, listing: false, index: false, lookupCompressed: false, etagMethod: 'simple' },
      },
    },
  ]
}
