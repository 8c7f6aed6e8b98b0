/**
 * Folds the differences that do not change what a customer means: full-width letters and
 * digits (ＡＢＣ１２３ → ABC123, NFKC), upper case, curly apostrophes, runs of white space.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
}
