import { checkManifest, type PluginManifest } from '@switchboard/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { checkBundleInSandbox } from './check-bundle-in-sandbox.js'

const text = { en: 'Demo plugin for tests', 'zh-CN': '测试用的示例插件' }
const action = { title: text, description: text, input: { type: 'object' }, output: { type: 'object' } }

function manifest(extra: Record<string, unknown>): PluginManifest {
  const checked = checkManifest({
    manifestVersion: 1,
    name: 'demo',
    version: '1.0.0',
    requires: { core: '>=0.1.0 <1.0.0' },
    kinds: ['integration'],
    title: text,
    description: text,
    icon: 'icon.svg',
    readme: 'README.md',
    main: 'dist/plugin.js',
    config: { type: 'object' },
    secrets: { type: 'object' },
    permissions: {},
    ...extra,
  })
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems))
  return checked.manifest
}

/** A bundle as `plugin build` writes it: an IIFE assigning the module to __switchboardPlugin. */
const bundle = (handlers: string, topLevel = '') =>
  `"use strict";\nvar __switchboardPlugin = (() => { ${topLevel}\n return { default: ${handlers} } })();\n`

const full = manifest({
  actions: { getOrder: action },
  nodes: {
    orderStatus: {
      title: text,
      description: text,
      category: 'integration',
      config: { type: 'object' },
      ports: ['next'],
    },
  },
  permissions: { webhooks: [{ name: 'order-updated', methods: ['POST'] }], events: { receive: ['order.paid'] } },
})

describe('checkBundleInSandbox', () => {
  it('finds a handler for every declared action, node, webhook and event', () => {
    const code = bundle(`{
      actions: { getOrder: async () => null },
      nodes: { orderStatus: async () => ({ port: 'next' }) },
      webhooks: { 'order-updated': async () => ({ status: 200 }) },
      events: { 'order.paid': async () => {} },
    }`)
    expect(checkBundleInSandbox(full, code)).toEqual({ problems: [], warnings: [], handlers: 4 })
  })

  it('names each declaration without a handler, and each handler without a declaration', () => {
    const code = bundle(
      `{ actions: { getOrdr: async () => null }, nodes: {}, webhooks: { 'order-updated': 'not a function' } }`,
    )
    const check = checkBundleInSandbox(full, code)
    expect(check.problems).toEqual([
      'actions.getOrder is declared in the definition but has no handler',
      'nodes.orderStatus is declared in the definition but has no handler',
      'webhooks.order-updated is declared in the definition but has no handler',
      'events.order.paid is declared in the definition but has no handler',
    ])
    expect(check.warnings).toEqual([
      'actions.getOrdr has a handler but no declaration in the definition: the host never calls it',
    ])
  })

  it('asks a channel plugin for its send handler', () => {
    const channel = manifest({
      kinds: ['channel'],
      channels: { demo: { title: text, identityKind: 'demo-user', supports: ['text'] } },
      permissions: { webhooks: [{ name: 'inbound', methods: ['POST'] }] },
    })
    const withoutSend = bundle(`{ actions: {}, webhooks: { inbound: async () => ({ status: 200 }) } }`)
    expect(checkBundleInSandbox(channel, withoutSend).problems).toEqual([
      'a channel plugin has a send handler, to deliver messages to customers',
    ])
    const withSend = bundle(
      `{ actions: {}, webhooks: { inbound: async () => ({ status: 200 }) }, send: async () => ({}) }`,
    )
    expect(checkBundleInSandbox(channel, withSend)).toMatchObject({ problems: [], handlers: 2 })
  })

  it('loads the bundle without Node or timers: a top-level setTimeout fails the check', () => {
    const code = bundle(`{ actions: {} }`, 'setTimeout(() => {}, 1)')
    expect(checkBundleInSandbox(manifest({}), code).problems).toEqual([
      'dist/plugin.js throws when it loads: setTimeout is not defined',
    ])
    expect(checkBundleInSandbox(manifest({}), bundle(`{ actions: {} }`, 'require("fs")')).problems[0]).toMatch(
      /require is not defined/,
    )
  })

  it('stops a bundle that loops when it loads', () => {
    const check = checkBundleInSandbox(manifest({}), bundle(`{ actions: {} }`, 'for (;;) {}'))
    expect(check.problems[0]).toMatch(/^dist\/plugin\.js throws when it loads: Script execution timed out/)
  })

  it('reports a bundle without a default export', () => {
    expect(checkBundleInSandbox(manifest({}), 'var __switchboardPlugin = {}').problems[0]).toMatch(
      /exports no handlers: the handlers file ends with `export default defineHandlers/,
    )
  })
})
