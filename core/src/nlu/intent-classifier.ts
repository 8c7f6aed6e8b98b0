/** One intent and how well a message fits it, from 0 (nothing in common) to 1. */
export interface IntentScore {
  intent: string
  score: number
}

export interface IntentClassification {
  /** the best intent, or null when its confidence is below the threshold */
  intent: string | null
  /** the best intent's score, even when it is below the threshold */
  confidence: number
  /** the best intents, best first (at most five) */
  ranking: IntentScore[]
}

export interface ClassifyOptions {
  /** below this confidence the intent is null; the classifier's default when not given */
  threshold?: number
}

/**
 * What the flow engine calls to classify a customer's message. The built-in implementation is
 * the offline model in `intent-model.ts`; an AI-provider plugin can offer another one with the
 * same contract.
 */
export interface IntentClassifier {
  classify(text: string, options?: ClassifyOptions): Promise<IntentClassification>
}
