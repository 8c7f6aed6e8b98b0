import { reactive, ref } from 'vue'
import { ApiError, errorMessage } from '../../../api/http'

/**
 * The errors of one form: the API's field errors by field path (shown beside their input) and
 * the message of anything else (shown above the buttons). `prefix` strips the part of the path a
 * form does not show, e.g. `businessHours.` in an editor that edits only that document.
 */
export function useFormErrors() {
  const fields = reactive<Record<string, string>>({})
  const general = ref<string | null>(null)

  function reset() {
    for (const key of Object.keys(fields)) delete fields[key]
    general.value = null
  }

  /**
   * Takes a failed call's error apart; true when at least one field error was found. `shown`: the
   * field paths (or their prefixes) the form shows errors for; an error elsewhere goes in the summary.
   */
  function capture(error: unknown, shown?: string[]): boolean {
    reset()
    if (error instanceof ApiError) {
      const found = error.fieldErrors()
      Object.assign(fields, found)
      const unseen = Object.keys(found).filter((k) => !shown || !shown.some((s) => k === s || k.startsWith(`${s}.`)))
      if (Object.keys(found).length === 0) general.value = error.message
      else if (unseen.length > 0) general.value = unseen.map((k) => `${k}: ${found[k]}`).join('; ')
      return Object.keys(found).length > 0
    }
    general.value = errorMessage(error)
    return false
  }

  /** The first error at this path or below it (e.g. `weekly.mon` for `weekly.mon.0.1`). */
  function under(path: string): string | undefined {
    if (fields[path]) return fields[path]
    const key = Object.keys(fields).find((k) => k.startsWith(`${path}.`))
    return key ? fields[key] : undefined
  }

  return { fields, general, reset, capture, under }
}
export type FormErrors = ReturnType<typeof useFormErrors>
