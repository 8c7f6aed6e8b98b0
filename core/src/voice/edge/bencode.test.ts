import { describe, expect, it } from 'vitest'
import { bdecode, bencode } from './bencode.js'

describe('bencode (rtpengine ng protocol)', () => {
  it('encodes dictionaries with sorted keys, lists, integers and UTF-8 strings', () => {
    expect(bencode({ command: 'ping' }).toString()).toBe('d7:command4:pinge')
    expect(bencode({ z: 1, a: ['x', -2], 'call-id': '呼叫' }).toString()).toBe('d1:al1:xi-2ee7:call-id6:呼叫1:zi1ee')
    expect(bencode({ kept: 'yes', dropped: undefined }).toString()).toBe('d4:kept3:yese')
  })

  it('decodes what it encodes', () => {
    const value = { command: 'offer', flags: ['trust-address'], 'rtcp-mux': ['demux'], sdp: 'v=0\r\n', n: 42 }
    expect(bdecode(bencode(value))).toEqual(value)
  })

  it('decodes a real rtpengine answer', () => {
    expect(bdecode(Buffer.from('d6:result4:ponge'))).toEqual({ result: 'pong' })
  })

  it('refuses malformed input instead of guessing', () => {
    expect(() => bdecode(Buffer.from('d6:result4:pong'))).toThrow(/unexpected end/)
    expect(() => bdecode(Buffer.from('5:abc'))).toThrow(/past the end/)
    expect(() => bdecode(Buffer.from('i1ex'))).toThrow(/trailing/)
    expect(() => bdecode(Buffer.from('ixe'))).toThrow(/bad integer/)
    expect(() => bencode(1.5)).toThrow(/not an integer/)
  })
})
