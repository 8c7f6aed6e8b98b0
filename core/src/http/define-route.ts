import type { Request, ResponseToolkit, ServerRoute } from '@hapi/hapi'
import type { z } from 'zod'
import type { Actor } from '../audit/index.js'
import type { AuthCredentials } from '../auth/index.js'
import type { Role } from '../auth/index.js'
import { parseInput } from '../validation/parse-input.js'
import { clientIp } from './client-ip.js'

/** Who may call a route: anyone, or the least role needed (roles nest: admin ⊃ supervisor ⊃ agent). */
export type Access = 'public' | 'authenticated' | Role

export interface RouteContext<P, Q, B> {
  params: P
  query: Q
  payload: B
  request: Request
  h: ResponseToolkit
  /** the signed-in user, or null on public routes */
  credentials: AuthCredentials | null
  /** for the audit log */
  actor: Actor
}

export interface RouteDefinition<P, Q, B> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  access: Access
  summary: string
  description?: string
  tags: string[]
  params?: z.ZodType<P>
  query?: z.ZodType<Q>
  payload?: z.ZodType<B>
  /** the success body, documented in the OpenAPI description */
  response?: z.ZodType
  /** the success status; 204 when the handler returns nothing */
  status?: 200 | 201 | 202
  /** take the body unparsed, as a Buffer (an uploaded file), instead of JSON checked by `payload` */
  rawPayload?: { maxBytes: number }
  handler(ctx: RouteContext<P, Q, B>): Promise<unknown>
}

/** Route metadata kept on the hapi route for the OpenAPI generator and the role-matrix test. */
export interface RouteMeta {
  access: Access
  summary: string
  description?: string
  tags: string[]
  params?: z.ZodType
  query?: z.ZodType
  payload?: z.ZodType
  response?: z.ZodType
  status: number
}

/**
 * Declares a REST route: who may call it, its input schemas (zod: the TypeScript types, the
 * runtime validation and the OpenAPI description come from the same schema) and its handler.
 * Invalid input is answered 400 with every wrong field; nothing runs.
 */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  def: RouteDefinition<P, Q, B>,
): ServerRoute {
  const meta: RouteMeta = {
    access: def.access,
    summary: def.summary,
    description: def.description,
    tags: def.tags,
    params: def.params,
    query: def.query,
    payload: def.payload,
    response: def.response,
    status: def.status ?? 200,
  }
  return {
    method: def.method,
    path: def.path,
    options: {
      auth: authOption(def.access),
      plugins: { switchboard: meta },
      ...(def.rawPayload
        ? {
            payload: {
              parse: false,
              output: 'data' as const,
              maxBytes: def.rawPayload.maxBytes,
            },
          }
        : {}),
      handler: async (request, h) => {
        const params = parsePart('path parameters', def.params, request.params) as P
        const query = parsePart('query', def.query, request.query) as Q
        const payload = (
          def.rawPayload
            ? request.payload
            : parsePart('payload', def.payload, request.payload ?? (def.payload ? {} : undefined))
        ) as B
        const credentials = (request.auth.isAuthenticated ? request.auth.credentials : null) as AuthCredentials | null
        const actor: Actor = {
          userId: credentials?.user.id ?? null,
          email: credentials?.user.email ?? null,
          ip: clientIp(request),
        }
        const result = await def.handler({ params, query, payload, request, h, credentials, actor })
        if (result === undefined) return h.response().code(204)
        if (isResponseObject(result)) return result
        return h.response(result as object).code(meta.status)
      },
    },
  }
}

function authOption(
  access: Access,
): ServerRoute['options'] extends infer O ? (O extends { auth?: infer A } ? A : never) : never {
  if (access === 'public') return false as never
  if (access === 'authenticated') return { mode: 'required' } as never
  return { mode: 'required', access: { scope: [access] } } as never
}

function parsePart(where: string, schema: z.ZodType | undefined, value: unknown): unknown {
  return schema ? parseInput(schema, value ?? {}, where) : value
}

function isResponseObject(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    'statusCode' in value &&
    'source' in value &&
    typeof (value as { code?: unknown }).code === 'function'
  )
}

declare module '@hapi/hapi' {
  interface PluginSpecificConfiguration {
    switchboard?: RouteMeta
  }
}
