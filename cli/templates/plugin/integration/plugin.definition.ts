import { definePlugin, z } from '@switchboard/plugin-sdk'

/**
 * What the host, the flow builder and the console know about the plugin without running its
 * code. `switchboard plugin build` turns it into dist/manifest.json.
 */
export default definePlugin({
  name: '{{NAME}}',
  version: '0.1.0',
  requires: { core: '{{CORE_RANGE}}' },
  kinds: ['integration'],
  title: { en: '{{TITLE}}', 'zh-CN': '{{TITLE}}' },
  description: {
    en: 'TODO: say in one sentence what this plugin lets a contact center do',
    'zh-CN': 'TODO：用一句话说明这个插件能为客服中心做什么',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  config: z.object({
    baseUrl: z.url().describe('Base URL of the service API, e.g. https://api.example.com/v1'),
  }),
  secrets: z.object({
    apiKey: z.string().min(1).describe('API key of the service, sent as a Bearer token'),
  }),
  // ctx.fetch reaches only these hosts; config:baseUrl is the host of the URL the admin saves
  permissions: { hosts: ['config:baseUrl'] },
  actions: {
    getRecord: {
      title: { en: 'Get a record', 'zh-CN': '查询记录' },
      description: { en: 'Looks a record up by its id in the service', 'zh-CN': '按编号在服务中查询一条记录' },
      input: z.object({ id: z.string().min(1).max(64).describe('The id of the record, as the service knows it') }),
      output: z.object({ id: z.string(), name: z.string(), status: z.string() }).nullable(),
      cacheSeconds: 60,
    },
  },
})
