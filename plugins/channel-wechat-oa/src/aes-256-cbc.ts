// AES (FIPS-197) decryption in plain ECMAScript: the sandbox has no WebCrypto and the host's
// ctx.crypto offers hashes only, so safe mode's AES-256-CBC has to be computed here.

const SBOX = new Uint8Array(256)
const INVERSE_SBOX = new Uint8Array(256)

const rotateLeft8 = (x: number, shift: number) => ((x << shift) | (x >>> (8 - shift))) & 0xff

// The S-box from its definition (multiplicative inverse in GF(2^8), then the affine map), walking
// the field with generator 3 and its inverse instead of shipping a 256-entry table.
function buildSboxes(): void {
  let p = 1
  let q = 1
  do {
    p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff
    q ^= q << 1
    q ^= q << 2
    q ^= q << 4
    q &= 0xff
    if (q & 0x80) q ^= 0x09
    const value = q ^ rotateLeft8(q, 1) ^ rotateLeft8(q, 2) ^ rotateLeft8(q, 3) ^ rotateLeft8(q, 4) ^ 0x63
    SBOX[p] = value
  } while (p !== 1)
  SBOX[0] = 0x63
  for (let i = 0; i < 256; i++) INVERSE_SBOX[SBOX[i]!] = i
}
buildSboxes()

function multiply(a: number, b: number): number {
  let product = 0
  for (let i = 0; i < 8 && b > 0; i++, b >>= 1) {
    if (b & 1) product ^= a
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0)
  }
  return product & 0xff
}

/** The 15 round keys (240 bytes) of AES-256. */
function expandKey(key: Uint8Array): Uint8Array {
  const words = 60
  const expanded = new Uint8Array(words * 4)
  expanded.set(key)
  let roundConstant = 1
  for (let i = 8; i < words; i++) {
    let t0 = expanded[(i - 1) * 4]!
    let t1 = expanded[(i - 1) * 4 + 1]!
    let t2 = expanded[(i - 1) * 4 + 2]!
    let t3 = expanded[(i - 1) * 4 + 3]!
    if (i % 8 === 0) {
      ;[t0, t1, t2, t3] = [SBOX[t1]! ^ roundConstant, SBOX[t2]!, SBOX[t3]!, SBOX[t0]!]
      roundConstant = multiply(roundConstant, 2)
    } else if (i % 8 === 4) {
      ;[t0, t1, t2, t3] = [SBOX[t0]!, SBOX[t1]!, SBOX[t2]!, SBOX[t3]!]
    }
    const base = (i - 8) * 4
    expanded[i * 4] = expanded[base]! ^ t0
    expanded[i * 4 + 1] = expanded[base + 1]! ^ t1
    expanded[i * 4 + 2] = expanded[base + 2]! ^ t2
    expanded[i * 4 + 3] = expanded[base + 3]! ^ t3
  }
  return expanded
}

function addRoundKey(state: Uint8Array, roundKeys: Uint8Array, round: number): void {
  for (let i = 0; i < 16; i++) state[i] = state[i]! ^ roundKeys[round * 16 + i]!
}

// state[row + 4 * column]; row r was shifted left by r when encrypting
function inverseShiftRowsAndSubBytes(state: Uint8Array): void {
  const copy = state.slice()
  for (let row = 0; row < 4; row++)
    for (let column = 0; column < 4; column++)
      state[row + 4 * column] = INVERSE_SBOX[copy[row + 4 * ((column - row + 4) % 4)]!]!
}

function inverseMixColumns(state: Uint8Array): void {
  for (let c = 0; c < 16; c += 4) {
    const a0 = state[c]!
    const a1 = state[c + 1]!
    const a2 = state[c + 2]!
    const a3 = state[c + 3]!
    state[c] = multiply(a0, 14) ^ multiply(a1, 11) ^ multiply(a2, 13) ^ multiply(a3, 9)
    state[c + 1] = multiply(a0, 9) ^ multiply(a1, 14) ^ multiply(a2, 11) ^ multiply(a3, 13)
    state[c + 2] = multiply(a0, 13) ^ multiply(a1, 9) ^ multiply(a2, 14) ^ multiply(a3, 11)
    state[c + 3] = multiply(a0, 11) ^ multiply(a1, 13) ^ multiply(a2, 9) ^ multiply(a3, 14)
  }
}

function decryptBlock(block: Uint8Array, roundKeys: Uint8Array): Uint8Array {
  const state = new Uint8Array(block) // a copy, even of a Node Buffer (whose slice() is a view)
  addRoundKey(state, roundKeys, 14)
  for (let round = 13; round >= 1; round--) {
    inverseShiftRowsAndSubBytes(state)
    addRoundKey(state, roundKeys, round)
    inverseMixColumns(state)
  }
  inverseShiftRowsAndSubBytes(state)
  addRoundKey(state, roundKeys, 0)
  return state
}

/**
 * Decrypts AES-256-CBC without removing any padding (the caller knows its padding scheme).
 * Returns null when the key is not 32 bytes, the IV not 16, or the data not whole blocks.
 *
 * @example
 * ```ts
 * const plain = decryptAes256Cbc(key, key.subarray(0, 16), cipherBytes)
 * ```
 */
export function decryptAes256Cbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array | null {
  if (key.length !== 32 || iv.length !== 16 || data.length === 0 || data.length % 16 !== 0) return null
  const roundKeys = expandKey(key)
  const plain = new Uint8Array(data.length)
  let previous = iv
  for (let offset = 0; offset < data.length; offset += 16) {
    const block = data.subarray(offset, offset + 16)
    const decrypted = decryptBlock(block, roundKeys)
    for (let i = 0; i < 16; i++) plain[offset + i] = decrypted[i]! ^ previous[i]!
    previous = block
  }
  return plain
}
