import { useCallback, useEffect, useRef, useState } from 'react'
import { api, ApiError } from '../api/http'
import type { EditorApi } from '../editor/editor-api'
import {
  channelForKind,
  emptySetup,
  pathOverlays,
  simulationRequest,
  type InputStep,
  type SimulationResult,
  type SimulationSetup,
} from './simulation'

/** Each flow's simulation, kept while the editor shows another tab (a panel is unmounted then). */
const kept = new Map<
  string,
  { setup: SimulationSetup; steps: InputStep[]; result: SimulationResult | null; traced: string | null }
>()

/**
 * The simulator's state: the transcript so far, the setup (channel, clock, vars, contact,
 * mocks) and the core's answer for the document as drawn. Every input replays the transcript
 * (the core's simulator keeps no state); a change on the canvas replays it too, so the chat,
 * the variables and the lit path always match the drawing.
 */
export function useSimulation(editor: EditorApi) {
  const flowId = editor.flow.id
  const [setup, setSetup] = useState<SimulationSetup>(
    () => kept.get(flowId)?.setup ?? emptySetup(channelForKind(editor.flow.kind)),
  )
  const [steps, setSteps] = useState<InputStep[]>(() => kept.get(flowId)?.steps ?? [])
  const [result, setResult] = useState<SimulationResult | null>(() => kept.get(flowId)?.result ?? null)
  const [traced, setTraced] = useState<string | null>(() => kept.get(flowId)?.traced ?? null)
  useEffect(() => {
    kept.set(flowId, { setup, steps, result, traced })
  }, [flowId, setup, steps, result, traced])
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const latest = useRef(0)

  const run = useCallback(
    async (nextSteps: InputStep[], nextSetup: SimulationSetup) => {
      const ticket = ++latest.current
      setBusy(true)
      try {
        const answer = await api.post<SimulationResult>(
          '/api/v1/flows/simulate',
          simulationRequest(editor.getDocument(), nextSetup, nextSteps),
        )
        if (ticket !== latest.current) return
        setResult(answer)
        setError(null)
        editor.setOverlays('simulator', pathOverlays(answer.trace))
      } catch (e) {
        if (ticket !== latest.current) return
        setError(e instanceof ApiError ? e.message : String(e))
      } finally {
        if (ticket === latest.current) setBusy(false)
      }
    },
    [editor],
  )

  const send = useCallback(
    (step: InputStep) => {
      const next = [...steps, step]
      setSteps(next)
      void run(next, setup)
    },
    [steps, setup, run],
  )

  const restart = useCallback(
    (nextSetup: SimulationSetup = setup, nextSteps: InputStep[] = []) => {
      setSteps(nextSteps)
      setSetup(nextSetup)
      setResult(null)
      setTraced(null)
      editor.clearOverlays('simulator')
      void run(nextSteps, nextSetup)
    },
    [setup, run, editor],
  )

  // the drawing changed: replay the same transcript on it (debounced)
  const replay = useRef({ steps, setup, started: false })
  replay.current = { steps, setup, started: result !== null || steps.length > 0 }
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const off = editor.onChange(() => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        if (replay.current.started) void run(replay.current.steps, replay.current.setup)
      }, 600)
    })
    return () => {
      clearTimeout(timer)
      off()
    }
  }, [editor, run])

  // the lit path stays while another tab is shown (e.g. the node form of a step); restart clears it

  return { setup, steps, result, error, busy, send, restart, traced, setTraced }
}
