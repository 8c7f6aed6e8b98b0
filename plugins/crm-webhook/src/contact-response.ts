import { pluginError, type CrmContact } from '@switchboard/plugin-sdk/runtime'

/** One thing wrong with a response, by its JSON path. */
export interface Problem {
  path: string
  message: string
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const has = (o: Json, key: string) => Object.prototype.hasOwnProperty.call(o, key)

/** The value at a dotted path of own properties (never the prototype chain). */
function valueAt(object: Json, path: string): unknown {
  let value: unknown = object
  for (const key of path.split('.')) {
    if (!isObject(value) || !has(value, key)) return undefined
    value = value[key]
  }
  return value
}

function text(value: unknown, path: string, max: number, problems: Problem[]): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string' && value.length <= max) return value
  problems.push({ path, message: `expected a string of at most ${max} characters` })
  return undefined
}

function externalIdOf(value: unknown, problems: Problem[]): string {
  if (typeof value === 'string' && value !== '' && value.length <= 100) return value
  if (Number.isSafeInteger(value)) return String(value)
  problems.push({ path: 'contact.externalId', message: 'required: a non-empty string (or an integer)' })
  return ''
}

function tagsOf(value: unknown, problems: Problem[]): string[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.length > 100) {
    problems.push({ path: 'contact.tags', message: 'expected an array of at most 100 strings' })
    return []
  }
  return value.filter((tag, i) => {
    const ok = typeof tag === 'string' && tag.length <= 100
    if (!ok) problems.push({ path: `contact.tags.${i}`, message: 'expected a string of at most 100 characters' })
    return ok
  }) as string[]
}

function attributesOf(value: unknown, problems: Problem[]): Json {
  if (value === undefined || value === null) return {}
  if (isObject(value) && Object.keys(value).length <= 100) return value
  problems.push({ path: 'contact.attributes', message: 'expected an object with at most 100 fields' })
  return {}
}

function levelOf(contact: Json, levelField: string, problems: Problem[]): string | undefined {
  const value = valueAt(contact, levelField)
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return text(value, `contact.${levelField}`, 100, problems)
}

function urlOf(value: unknown, problems: Problem[]): string | undefined {
  const url = text(value, 'contact.url', 2000, problems)
  // agents click it in the console: only web links, never javascript: or data: URLs
  if (url !== undefined && !/^https?:\/\/[^\s]+$/i.test(url)) {
    problems.push({ path: 'contact.url', message: 'expected an http(s) URL' })
    return undefined
  }
  return url
}

/** Checks a `contact` object against the protocol and maps it to the crm-contacts shape. */
export function toContact(contact: Json, levelField: string, problems: Problem[]): CrmContact {
  const result: CrmContact = {
    externalId: externalIdOf(contact.externalId, problems),
    tags: tagsOf(contact.tags, problems),
    attributes: attributesOf(contact.attributes, problems),
  }
  const name = text(contact.name, 'contact.name', 200, problems)
  const level = levelOf(contact, levelField, problems)
  const url = urlOf(contact.url, problems)
  if (name !== undefined) result.name = name
  if (level !== undefined) result.level = level
  if (url !== undefined) result.url = url
  return result
}

/**
 * Reads the body of a 200 answer to `contact.lookup`: `{ "contact": {...} }` or
 * `{ "contact": null }`. Anything else is an integration bug, reported with every problem found
 * so the shop's developer can fix it in one go.
 *
 * @example
 * ```ts
 * readContactResponse('{"contact":{"externalId":"c-88","vipLevel":2}}', 'vipLevel')
 * // { externalId: 'c-88', level: '2', tags: [], attributes: {} }
 * ```
 */
export function readContactResponse(bodyText: string, levelField: string): CrmContact | null {
  let body: unknown
  try {
    body = JSON.parse(bodyText)
  } catch {
    throw pluginError('SB_ERR_CRM_INVALID_RESPONSE', 'The CRM endpoint answered 200 with a body that is not JSON', {
      details: { problems: [{ path: '(body)', message: 'not JSON' }], body: bodyText.slice(0, 200) },
    })
  }
  const problems: Problem[] = []
  let contact: CrmContact | null = null
  if (!isObject(body) || !has(body, 'contact'))
    problems.push({ path: '(body)', message: 'expected an object with a "contact" field (an object or null)' })
  else if (body.contact !== null) {
    if (isObject(body.contact)) contact = toContact(body.contact, levelField, problems)
    else problems.push({ path: 'contact', message: 'expected an object or null' })
  }
  if (problems.length > 0)
    throw pluginError(
      'SB_ERR_CRM_INVALID_RESPONSE',
      `The CRM endpoint returned a contact that does not follow the protocol: ${problems
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')}`,
      { details: { problems } },
    )
  return contact
}
