/** The kinds of plugin `switchboard plugin create` can start. */
export const pluginTemplateKinds = ['integration', 'channel', 'ai'] as const
export type PluginTemplateKind = (typeof pluginTemplateKinds)[number]
