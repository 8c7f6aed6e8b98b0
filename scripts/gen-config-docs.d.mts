// Types for scripts/gen-config-docs.mjs, used by test/docs/configuration-doc.test.ts.
export interface SettingDescription {
  key: string
  env: string
  doc: string
  expected: string
  default: unknown
  secret: boolean
}

export declare const configurationDocPath: string
export declare function renderConfigurationDoc(settings: SettingDescription[]): string
