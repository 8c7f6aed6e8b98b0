import type { PiiCipher } from '../pii/index.js'
import { normalizeEmail, normalizePhone } from '../pii/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import { parseInput } from '../validation/parse-input.js'
import type { Db, Prisma } from '../storage/index.js'
import {
  createContactInput,
  type ContactView,
  type CreateContactInput,
  type UpdateContactInput,
} from './contact-dto.js'
import { contactHistory, type ContactHistory } from './contact-history.js'

/** a name/email/phone search decrypts at most this many of the most recently changed contacts */
const TEXT_SEARCH_SCAN = 2000

type ContactRow = Awaited<ReturnType<Db['contact']['findFirstOrThrow']>> & {
  identities: Array<{ id: string; channel: string; addressEnc: string; verified: boolean }>
}

export type ContactsService = ReturnType<typeof createContactsService>

/**
 * Contacts and their channel identities. Names, emails, phone numbers and addresses are
 * encrypted before they reach the database; phone and email also get a keyed hash so a
 * caller ID or an email finds its contact without storing the plaintext.
 */
export function createContactsService({ db, pii, phoneRegion }: { db: Db; pii: PiiCipher; phoneRegion: string }) {
  const enc = (field: Parameters<PiiCipher['encrypt']>[0], value: string | null | undefined) =>
    value == null ? value : pii.encrypt(field, value)
  const dec = (field: Parameters<PiiCipher['decrypt']>[0], value: string | null) =>
    value === null ? null : pii.decrypt(field, value)

  function normalizeAddress(channel: string, address: string): string {
    if (channel === 'phone') return normalizePhone(address, phoneRegion)
    if (channel === 'email') return normalizeEmail(address)
    return address.trim()
  }

  function piiColumns(input: {
    name?: string | null
    email?: string | null
    phone?: string | null
    address?: string | null
  }) {
    const phone = input.phone == null ? input.phone : normalizePhone(input.phone, phoneRegion)
    const email = input.email == null ? input.email : normalizeEmail(input.email)
    return {
      nameEnc: enc('contact.name', input.name),
      emailEnc: enc('contact.email', email),
      emailHash: email == null ? email : pii.hash('email', email),
      phoneEnc: enc('contact.phone', phone),
      phoneHash: phone == null ? phone : pii.hash('phone', phone),
      addressEnc: enc('contact.address', input.address),
    }
  }

  function toView(row: ContactRow): ContactView {
    return {
      id: row.id,
      name: dec('contact.name', row.nameEnc),
      email: dec('contact.email', row.emailEnc),
      phone: dec('contact.phone', row.phoneEnc),
      address: dec('contact.address', row.addressEnc),
      language: row.language,
      tags: row.tags as string[],
      attributes: row.attributes as Record<string, unknown>,
      identities: row.identities.map((i) => ({
        id: i.id,
        channel: i.channel,
        address: pii.decrypt('identity.address', i.addressEnc),
        verified: i.verified,
      })),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }
  }

  const include = { identities: { orderBy: { createdAt: 'asc' } } } as const

  return {
    async create(input: CreateContactInput): Promise<ContactView> {
      const data = parseInput(createContactInput, input)
      const identities = data.identities.map((i) => {
        const address = normalizeAddress(i.channel, i.address)
        return {
          channel: i.channel,
          address,
          addressHash: pii.hash(`identity:${i.channel}`, address),
          verified: i.verified,
        }
      })
      for (const identity of identities) {
        const taken = await db.contactIdentity.findUnique({
          where: { channel_addressHash: { channel: identity.channel, addressHash: identity.addressHash } },
        })
        if (taken) {
          throw userError(
            ErrorCode.CONFLICT,
            `The ${identity.channel} identity ${identity.address} already belongs to contact ${taken.contactId}`,
            {
              status: 409,
              details: [{ path: 'identities', message: `${identity.channel} identity taken by ${taken.contactId}` }],
            },
          )
        }
      }
      const row = await db.contact.create({
        data: {
          ...piiColumns(data),
          language: data.language ?? null,
          tags: data.tags,
          attributes: data.attributes as Prisma.InputJsonValue,
          identities: {
            create: identities.map((i) => ({
              channel: i.channel,
              addressHash: i.addressHash,
              addressEnc: pii.encrypt('identity.address', i.address),
              verified: i.verified,
            })),
          },
        },
        include,
      })
      return toView(row)
    },

    async get(id: string): Promise<ContactView> {
      const row = await db.contact.findUnique({ where: { id }, include })
      if (!row) throw userError(ErrorCode.NOT_FOUND, `No contact ${id}`, { status: 404 })
      // a merged contact's old id leads to the one it was merged into
      if (row.mergedIntoId) return this.get(row.mergedIntoId)
      return toView(row)
    },

    /** The names of many contacts at once (one query; lists show them beside ids). Unknown ids are left out. */
    async names(ids: string[]): Promise<Map<string, string | null>> {
      const unique = [...new Set(ids)].slice(0, 1000)
      const rows = await db.contact.findMany({ where: { id: { in: unique } }, select: { id: true, nameEnc: true } })
      return new Map(rows.map((r) => [r.id, dec('contact.name', r.nameEnc)]))
    },

    /** Past conversations (every channel) and tickets of a contact, newest first; a merged id leads to the survivor. */
    async history(id: string): Promise<ContactHistory> {
      const contact = await this.get(id)
      return contactHistory(db, contact.id)
    },

    /**
     * Exact look-ups by phone or email go through the keyed hash; tag filtering is done on the page.
     * `q` finds a part of the name, email or phone: personal data is encrypted, so it is matched
     * after decryption, over the most recently changed contacts only.
     */
    async list(filter: {
      phone?: string
      email?: string
      tag?: string
      q?: string
      limit: number
    }): Promise<ContactView[]> {
      const where: Prisma.ContactWhereInput = { mergedIntoId: null }
      if (filter.phone) {
        const hash = pii.hash('phone', normalizePhone(filter.phone, phoneRegion))
        const viaIdentity = pii.hash('identity:phone', normalizePhone(filter.phone, phoneRegion))
        where.OR = [{ phoneHash: hash }, { identities: { some: { channel: 'phone', addressHash: viaIdentity } } }]
      }
      if (filter.email) where.emailHash = pii.hash('email', normalizeEmail(filter.email))
      const q = filter.q?.trim().toLowerCase()
      const rows = await db.contact.findMany({
        where,
        orderBy: { updatedAt: 'desc' },
        take: q ? TEXT_SEARCH_SCAN : filter.tag ? filter.limit * 10 : filter.limit,
        include,
      })
      const views = rows.map(toView)
      const digits = q?.replace(/[\s()+-]/g, '')
      const fits = (v: ContactView) =>
        (!filter.tag || v.tags.includes(filter.tag)) &&
        (!q ||
          v.id === q ||
          !!v.name?.toLowerCase().includes(q) ||
          !!v.email?.toLowerCase().includes(q) ||
          (!!digits && /^\d{3,}$/.test(digits) && !!v.phone?.replace(/\D/g, '').includes(digits)))
      return views.filter(fits).slice(0, filter.limit)
    },

    /** Finds the contact a channel address belongs to (e.g. the caller ID of an inbound call). */
    async findByIdentity(channel: string, address: string): Promise<ContactView | null> {
      const normalized = normalizeAddress(channel, address)
      const identity = await db.contactIdentity.findUnique({
        where: { channel_addressHash: { channel, addressHash: pii.hash(`identity:${channel}`, normalized) } },
      })
      return identity ? this.get(identity.contactId) : null
    },

    /**
     * A channel reported the language the customer reads now (the web chat widget's): the contact
     * takes it, replacing an older one, so a customer who switches to English is answered in
     * English. Channels that do not know say nothing and change nothing.
     */
    async followLanguage(contact: ContactView, language: string | undefined): Promise<ContactView> {
      if (!language || contact.language === language) return contact
      await db.contact.update({ where: { id: contact.id }, data: { language } })
      return { ...contact, language }
    },

    /**
     * The contact behind a channel address, created on first contact (a WeChat follower, a web
     * visitor), in the language the channel reports (see followLanguage). Two messages racing from
     * a new customer end up on one contact: the loser of the insert finds the winner's.
     */
    async findOrCreateByIdentity(
      channel: string,
      address: string,
      name?: string,
      language?: string,
    ): Promise<{ contact: ContactView; identityId: string }> {
      const identityOf = (contact: ContactView) =>
        contact.identities.find((i) => i.channel === channel && i.address === normalizeAddress(channel, address))?.id
      const found = await this.findByIdentity(channel, address)
      if (found) return { contact: await this.followLanguage(found, language), identityId: identityOf(found)! }
      try {
        const created = await this.create({ name, language, identities: [{ channel, address, verified: true }] })
        return { contact: created, identityId: identityOf(created)! }
      } catch (error) {
        const again = await this.findByIdentity(channel, address)
        if (again) return { contact: await this.followLanguage(again, language), identityId: identityOf(again)! }
        throw error
      }
    },

    /**
     * Merges `fromId` into `intoId`: its identities, conversations and tickets move over, its tags
     * join, attributes and personal data fill what the survivor lacks (the survivor's values win),
     * and it is kept as a tombstone pointing at the survivor. One transaction: all or nothing.
     */
    async merge(intoId: string, fromId: string): Promise<ContactView> {
      if (intoId === fromId) throw userError(ErrorCode.VALIDATION, 'a contact cannot be merged into itself')
      await db.$transaction(async (tx) => {
        const [into, from] = await Promise.all([
          tx.contact.findUnique({ where: { id: intoId } }),
          tx.contact.findUnique({ where: { id: fromId } }),
        ])
        if (!into || into.mergedIntoId) throw userError(ErrorCode.NOT_FOUND, `No contact ${intoId}`, { status: 404 })
        if (!from || from.mergedIntoId)
          throw userError(ErrorCode.NOT_FOUND, `No contact ${fromId} (or it was merged already)`, { status: 404 })
        await tx.contactIdentity.updateMany({ where: { contactId: fromId }, data: { contactId: intoId } })
        await tx.conversation.updateMany({ where: { contactId: fromId }, data: { contactId: intoId } })
        await tx.ticket.updateMany({ where: { contactId: fromId }, data: { contactId: intoId } })
        // what else is the customer's goes with them: callbacks, surveys, call recordings
        await tx.callback.updateMany({ where: { contactId: fromId }, data: { contactId: intoId } })
        await tx.survey.updateMany({ where: { contactId: fromId }, data: { contactId: intoId } })
        await tx.callRecording.updateMany({ where: { contactId: fromId }, data: { contactId: intoId } })
        await tx.contact.update({
          where: { id: intoId },
          data: {
            tags: [...new Set([...(into.tags as string[]), ...(from.tags as string[])])],
            attributes: { ...(from.attributes as object), ...(into.attributes as object) } as Prisma.InputJsonValue,
            nameEnc: into.nameEnc ?? from.nameEnc,
            emailEnc: into.emailEnc ?? from.emailEnc,
            emailHash: into.emailHash ?? from.emailHash,
            phoneEnc: into.phoneEnc ?? from.phoneEnc,
            phoneHash: into.phoneHash ?? from.phoneHash,
            addressEnc: into.addressEnc ?? from.addressEnc,
            language: into.language ?? from.language,
          },
        })
        await tx.contact.update({
          where: { id: fromId },
          data: { mergedIntoId: intoId, emailHash: null, phoneHash: null },
        })
      })
      return this.get(intoId)
    },

    /**
     * Adds an identity to a contact. A verified identity that belongs to another contact proves
     * both are one person: that contact is merged into this one. An unverified one is refused.
     */
    async addIdentity(
      contactId: string,
      identity: { channel: string; address: string; verified: boolean },
    ): Promise<{ contact: ContactView; merged: string | null }> {
      const owner = await this.findByIdentity(identity.channel, identity.address)
      if (owner && owner.id === contactId) return { contact: owner, merged: null }
      if (owner && !identity.verified)
        throw userError(
          ErrorCode.CONFLICT,
          `The ${identity.channel} identity belongs to contact ${owner.id}; only a verified identity merges them`,
          { status: 409 },
        )
      if (owner) return { contact: await this.merge(contactId, owner.id), merged: owner.id }
      const address = normalizeAddress(identity.channel, identity.address)
      await db.contactIdentity.create({
        data: {
          contactId,
          channel: identity.channel,
          addressHash: pii.hash(`identity:${identity.channel}`, address),
          addressEnc: pii.encrypt('identity.address', address),
          verified: identity.verified,
        },
      })
      return { contact: await this.get(contactId), merged: null }
    },

    /** The channel and address of one identity, decrypted (where a reply goes). */
    async identityAddress(identityId: string): Promise<{ channel: string; address: string } | null> {
      const row = await db.contactIdentity.findUnique({ where: { id: identityId } })
      return row ? { channel: row.channel, address: pii.decrypt('identity.address', row.addressEnc) } : null
    },

    async update(id: string, change: UpdateContactInput): Promise<ContactView> {
      await this.get(id)
      const pick = <K extends keyof UpdateContactInput>(k: K) => (k in change ? change[k] : undefined)
      const columns = piiColumns({
        name: pick('name'),
        email: pick('email'),
        phone: pick('phone'),
        address: pick('address'),
      })
      const row = await db.contact.update({
        where: { id },
        data: {
          ...columns,
          language: change.language,
          tags: change.tags,
          attributes: change.attributes as Prisma.InputJsonValue | undefined,
        },
        include,
      })
      return toView(row)
    },
  }
}
