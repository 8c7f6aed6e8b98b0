import { textFeatures, type FeatureOptions } from './text-features.js'

/** A sparse vector of feature weights, scaled to length 1 (so a dot product is the cosine). */
export type SparseVector = Map<string, number>

export interface TextVectorizer {
  vectorize(text: string): SparseVector
}

export interface VectorizerOptions extends FeatureOptions {
  /**
   * Weight of features the training texts never contain. They cannot match anything, but they
   * lengthen the vector: a message about something else gets a lower similarity.
   */
  unknownWeight?: number
  /** weight of each kind of feature, by prefix (see textFeatures) */
  kindWeights?: Partial<Record<'w' | 'b' | 'c' | 'g' | 'f' | 'k' | 'q', number>>
}

const defaultKindWeights = { w: 1, b: 1, c: 0.5, g: 0.3, f: 0.2, k: 2, q: 1 }

/**
 * TF-IDF over the features of `textFeatures`, fitted on the training texts: a feature found in
 * few texts weighs more than one found in many; repeats count logarithmically.
 */
export function fitTextVectorizer(documents: string[], options: VectorizerOptions = {}): TextVectorizer {
  const kindWeights = { ...defaultKindWeights, ...options.kindWeights }
  const unknownWeight = options.unknownWeight ?? 0.5
  const documentFrequency = new Map<string, number>()
  for (const doc of documents)
    for (const feature of textFeatures(doc, options).keys())
      documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1)
  const n = documents.length
  const unknownIdf = (Math.log(n + 1) + 1) * unknownWeight

  return {
    vectorize(text) {
      const vector: SparseVector = new Map()
      let sumOfSquares = 0
      for (const [feature, count] of textFeatures(text, options)) {
        const df = documentFrequency.get(feature)
        const idf = df === undefined ? unknownIdf : Math.log((n + 1) / (df + 1)) + 1
        const kind = kindWeights[feature[0] as keyof typeof kindWeights] ?? 1
        const weight = kind * (1 + Math.log(count)) * idf
        vector.set(feature, weight)
        sumOfSquares += weight * weight
      }
      return scaleToUnit(vector, sumOfSquares)
    },
  }
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let dot = 0
  for (const [feature, weight] of small) dot += weight * (large.get(feature) ?? 0)
  return dot
}

/** The normalised sum of unit vectors (with optional weights): the direction of a group. */
export function centroid(vectors: Array<{ vector: SparseVector; weight?: number }>): SparseVector {
  const sum: SparseVector = new Map()
  for (const { vector, weight = 1 } of vectors)
    for (const [feature, value] of vector) sum.set(feature, (sum.get(feature) ?? 0) + value * weight)
  let sumOfSquares = 0
  for (const value of sum.values()) sumOfSquares += value * value
  return scaleToUnit(sum, sumOfSquares)
}

function scaleToUnit(vector: SparseVector, sumOfSquares: number): SparseVector {
  if (sumOfSquares === 0) return vector
  const norm = Math.sqrt(sumOfSquares)
  for (const [feature, value] of vector) vector.set(feature, value / norm)
  return vector
}
