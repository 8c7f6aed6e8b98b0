/**
 * The plugin sandbox: runs one plugin's bundled handlers in isolated-vm behind a narrow,
 * message-shaped interface (`invoke` → result data). Nothing outside this folder needs its
 * internals; see README.md beside this file for how the limits are enforced.
 */
export { createPluginSandbox, DEFAULT_MAX_RESULT_BYTES } from './create-plugin-sandbox.js'
export type {
  CreatePluginSandboxOptions,
  HostCapabilities,
  HostPolicy,
  PluginSandbox,
  SandboxCall,
  SandboxError,
  SandboxInvocation,
  SandboxLimits,
  SandboxResult,
  SandboxStats,
} from './plugin-sandbox.js'
export { CircuitBreaker, isPluginFault } from './circuit-breaker.js'
export type { CircuitBreakerOptions, CircuitState } from './circuit-breaker.js'
export { loadIsolatedVm, sandboxEngineInfo } from './load-isolated-vm.js'
export type { SandboxEngineInfo } from './load-isolated-vm.js'
export { isHostAllowed } from './host-allow-list.js'
