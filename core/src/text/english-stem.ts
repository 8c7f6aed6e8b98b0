/** Irregular forms the suffix rules below would get wrong. */
const irregular: Record<string, string> = {
  cancelled: 'cancel',
  cancelling: 'cancel',
  canceled: 'cancel',
  canceling: 'cancel',
  cancellation: 'cancel',
  bought: 'buy',
  paid: 'pay',
  sent: 'send',
  got: 'get',
  gotten: 'get',
  came: 'come',
  broke: 'break',
  broken: 'break',
  moved: 'move',
  children: 'child',
  people: 'person',
  received: 'receive',
  arrived: 'arrive',
  delivered: 'deliver',
}

const vowel = /[aeiouy]/

/**
 * A small suffix stripper for English customer messages, in the spirit of Porter's step 1:
 * plurals, -ing, -ed, a final -e. It only has to map the forms of one word to one key
 * (refund, refunds, refunded → refund); the keys need not be real words.
 */
export function stemEnglish(word: string): string {
  const known = irregular[word]
  if (known) return known
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word
  let w = word
  if (w.endsWith('sses')) w = w.slice(0, -2)
  else if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y'
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1)
  for (const suffix of ['ing', 'ed']) {
    if (w.endsWith(suffix) && vowel.test(w.slice(0, -suffix.length)) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length)
      if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1)
      break
    }
  }
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1)
  return w
}
