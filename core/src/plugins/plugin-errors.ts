import { ErrorCode, userError } from '../errors/index.js'

const statusByCode: Record<string, number> = {
  [ErrorCode.VALIDATION]: 400,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.PLUGIN_MANIFEST_INVALID]: 400,
  [ErrorCode.PLUGIN_CONFIG_INVALID]: 400,
  [ErrorCode.PLUGIN_INVALID_INPUT]: 400,
  [ErrorCode.PLUGIN_NOT_FOUND]: 404,
  [ErrorCode.PLUGIN_ACTION_NOT_FOUND]: 404,
  [ErrorCode.PLUGIN_INCOMPATIBLE]: 409,
  [ErrorCode.PLUGIN_HOST_NOT_ALLOWED]: 403,
  [ErrorCode.PLUGIN_EVENT_NOT_ALLOWED]: 403,
  [ErrorCode.PLUGIN_STORAGE_QUOTA]: 413,
}

/**
 * A user error about plugins with the HTTP status that fits its code. A plugin's own codes
 * (`SB_ERR_ERP_AUTH_FAILED`…) answer 502: the request was fine, the plugin or its service was not.
 */
export function pluginUserError(code: string, message: string, details?: unknown) {
  return userError(code, message, { status: statusByCode[code] ?? 502, details })
}
