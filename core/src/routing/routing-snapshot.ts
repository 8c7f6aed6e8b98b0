import type { Db } from '../storage/index.js'
import type { HandleTime } from './handle-times.js'
import type {
  MediaKind,
  Presence,
  QueuedConversation,
  RoutingAgent,
  RoutingQueue,
  SkillRequirement,
} from './routing-types.js'

/** VIP customers (contact tag `vip`) get this much priority on top of their conversation's own. */
export const VIP_PRIORITY_BOOST = 10

/** The kind of work a conversation on this channel is. */
export function mediaOf(channel: string): MediaKind {
  if (channel === 'voice' || channel === 'phone' || channel.startsWith('sip')) return 'voice'
  if (channel === 'email' || channel.startsWith('email')) return 'email'
  return 'chat'
}

/** Skill requirements as stored on a queue: names (least level 1) or `{ skill, minLevel }`. */
export function storedSkillRequirements(value: unknown): SkillRequirement[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((s): SkillRequirement[] =>
    typeof s === 'string'
      ? [{ skill: s, minLevel: 1 }]
      : typeof s === 'object' && s !== null && typeof (s as SkillRequirement).skill === 'string'
        ? [{ skill: (s as SkillRequirement).skill, minLevel: Number((s as SkillRequirement).minLevel) || 1 }]
        : [],
  )
}

/**
 * Everything a routing decision needs, read from the database at one moment: the queues, the
 * agents who have a routing state (presence, capacity, skills, memberships, current load), and
 * the queued conversations (with the VIP boost and the previous agent for sticky routing).
 */
export async function readRoutingSnapshot(db: Db, now: Date) {
  const [queueRows, states, memberships, skills, assigned, queuedRows, recent] = await Promise.all([
    db.queue.findMany(),
    db.agentState.findMany({ include: { user: { select: { active: true } } } }),
    db.queueMember.findMany(),
    db.agentSkill.findMany({ include: { skill: { select: { name: true } } } }),
    db.conversation.findMany({ where: { status: 'assigned' }, select: { assigneeId: true, channel: true } }),
    db.conversation.findMany({
      where: { status: 'queued', queueId: { not: null } },
      include: { contact: { select: { tags: true } } },
      orderBy: { queuedAt: 'asc' },
    }),
    db.conversation.findMany({
      where: {
        resolvedAt: { gte: new Date(now.getTime() - 3600_000) },
        assignedAt: { not: null },
        queueId: { not: null },
      },
      select: { queueId: true, channel: true, assignedAt: true, resolvedAt: true },
      take: 2000,
    }),
  ])
  const queues: RoutingQueue[] = queueRows.map((q) => ({
    id: q.id,
    priority: q.priority,
    requiredSkills: storedSkillRequirements(q.requiredSkills),
    agingPerMinute: q.agingPerMinute,
    overflowAfterMs: q.overflowAfterSeconds === null ? undefined : q.overflowAfterSeconds * 1000,
    stickyWindowMs: q.stickyMinutes > 0 ? q.stickyMinutes * 60_000 : undefined,
  }))
  const load = new Map<string, Partial<Record<MediaKind, number>>>()
  for (const c of assigned) {
    if (!c.assigneeId) continue
    const l = load.get(c.assigneeId) ?? {}
    const media = mediaOf(c.channel)
    l[media] = (l[media] ?? 0) + 1
    load.set(c.assigneeId, l)
  }
  const agents: RoutingAgent[] = states
    .filter((s) => s.user.active)
    .map((s) => ({
      id: s.userId,
      presence: s.presence as Presence,
      skills: Object.fromEntries(skills.filter((k) => k.userId === s.userId).map((k) => [k.skill.name, k.level])),
      queueIds: memberships.filter((m) => m.userId === s.userId && !m.standby).map((m) => m.queueId),
      standbyQueueIds: memberships.filter((m) => m.userId === s.userId && m.standby).map((m) => m.queueId),
      capacity: s.capacity as Partial<Record<MediaKind, number>>,
      load: load.get(s.userId) ?? {},
      idleSince: s.idleSince.getTime(),
    }))
  const queued: QueuedConversation[] = queuedRows.map((c) => ({
    id: c.id,
    queueId: c.queueId!,
    media: mediaOf(c.channel),
    priority: c.priority + ((c.contact.tags as string[]).includes('vip') ? VIP_PRIORITY_BOOST : 0),
    queuedAt: (c.queuedAt ?? c.updatedAt).getTime(),
    previousAgentId: c.lastAgentId ?? undefined,
    lastHandledAt: c.lastAgentId ? (c.resolvedAt ?? c.updatedAt).getTime() : undefined,
  }))
  const recentHandleTimes: HandleTime[] = recent.map((c) => ({
    queueId: c.queueId!,
    media: mediaOf(c.channel),
    handleMs: c.resolvedAt!.getTime() - c.assignedAt!.getTime(),
  }))
  return { queues, agents, queued, recentHandleTimes, now: now.getTime() }
}
