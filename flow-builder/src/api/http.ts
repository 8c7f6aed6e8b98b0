/**
 * The builder's REST client (/api/v1, same origin, the sb_session cookie). Failures carry the
 * core's error body; a 401 sends the user to the console's login page and back.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export function signInAgain(): void {
  const back = location.pathname + location.search
  location.assign(`/console/login?return=${encodeURIComponent(back)}`)
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const data = text ? (JSON.parse(text) as unknown) : undefined
  if (res.status === 401) signInAgain()
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; message?: string; details?: unknown }
    throw new ApiError(
      res.status,
      e.code ?? `HTTP_${res.status}`,
      e.message ?? `${method} ${path}: ${res.status}`,
      e.details,
    )
  }
  return data as T
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown = {}) => call<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown = {}) => call<T>('PATCH', path, body),
  delete: <T = void>(path: string) => call<T>('DELETE', path),
}
