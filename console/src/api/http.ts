/**
 * The console's one way to call the core's REST API (/api/v1, same origin, the sb_session cookie).
 * Every failure becomes an ApiError carrying the core's error body (code, message, details), so a
 * page can show what is wrong; a 401 also tells the session store the sign-in has ended.
 */
export interface ApiErrorBody {
  statusCode: number
  error: string
  code: string
  message: string
  details?: unknown
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown

  constructor(status: number, body: Partial<ApiErrorBody>, fallback: string) {
    super(body.message || fallback)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code ?? `HTTP_${status}`
    this.details = body.details
  }

  /** Validation details as `field → message`, for forms that show errors beside their inputs. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    if (Array.isArray(this.details))
      for (const d of this.details as { path?: unknown; message?: unknown }[])
        if (typeof d?.path === 'string' && typeof d.message === 'string') out[d.path] ??= d.message
    return out
  }
}

type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>

let onUnauthenticated: (() => void) | null = null
/** The session store registers what to do when a call answers 401 (go to the login page). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)))
    else params.set(key, String(value))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } }
  if (body instanceof FormData) init.body = body
  else if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
  }
  let res: Response
  try {
    res = await fetch(withQuery(path, query), init)
  } catch (cause) {
    throw new ApiError(0, { code: 'NETWORK', message: 'The server cannot be reached' }, String(cause))
  }
  const text = await res.text()
  let data: unknown = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !path.endsWith('/auth/login')) onUnauthenticated?.()
    const errorBody = data && typeof data === 'object' ? (data as Partial<ApiErrorBody>) : {}
    throw new ApiError(res.status, errorBody, `${method} ${path} answered ${res.status}`)
  }
  return data as T
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, body ?? {}, query),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
}

/** A message for any error, for toasts. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return String(error)
}
