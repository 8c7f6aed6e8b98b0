/** A knowledge-base entry that fits a question, with how well it fits (0 to 1). */
export interface KbHit {
  id: string
  question: string
  answer: string
  score: number
}

export interface KbSearchOptions {
  /** at most this many entries (default 5) */
  limit?: number
  /** entries scoring below this are left out (the search index's default when not given) */
  threshold?: number
}

/**
 * What the flow engine calls to answer a customer's question from the FAQ: the entries that fit,
 * best first, and none when nothing fits. The built-in implementation is the offline search in
 * `kb-search-index.ts`; an AI-provider plugin can offer another one with the same contract.
 */
export interface KnowledgeBase {
  search(text: string, options?: KbSearchOptions): Promise<KbHit[]>
}
