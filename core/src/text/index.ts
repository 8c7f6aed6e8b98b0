export { normalizeText } from './normalize-text.js'
export { stemEnglish } from './english-stem.js'
export { textFeatures, type FeatureCounts, type FeatureOptions } from './text-features.js'
export {
  centroid,
  cosine,
  fitTextVectorizer,
  type SparseVector,
  type TextVectorizer,
  type VectorizerOptions,
} from './text-vectorizer.js'
export {
  buildPhraseIndex,
  type PhraseGroup,
  type PhraseIndex,
  type PhraseIndexOptions,
  type RankedKey,
} from './phrase-index.js'
export { serviceLexicon } from './service-lexicon.js'
export { createIndexCache } from './index-cache.js'
