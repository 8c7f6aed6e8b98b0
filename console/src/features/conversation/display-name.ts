/** How the console names a customer: their name, else their address on the channel (its last characters when it is an id). */
export function customerName(contact: { name: string | null; address: string | null }, visitorWord: string): string {
  if (contact.name) return contact.name
  const address = contact.address ?? ''
  if (!address) return visitorWord
  if (/[@+\d]/.test(address[0] ?? '') && address.length <= 32) return address
  return `${visitorWord} ${address.slice(-4)}`
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return '?'
  // CJK names: the first character reads best
  if (/[\u3400-\u9fff]/.test(words[0]![0]!)) return words[0]![0]!
  return words
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('')
}
