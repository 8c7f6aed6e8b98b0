import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createPromptCache, espeakAvailable, espeakSpeech, type SpeechProvider } from './prompts.js'

const dir = mkdtempSync(join(tmpdir(), 'sb-prompts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(!espeakAvailable())('prompts: espeak-ng → sox → 8 kHz µ-law, rendered once', () => {
  it('speaks Chinese with cmn-latn-pinyin (Mandarin phonemes, not tone digits read in English) and English with en', () => {
    const speech = espeakSpeech()
    expect(speech.voiceFor('您好，查询订单请按一。')).toBe('cmn-latn-pinyin')
    expect(speech.voiceFor('Press 1 for order status.')).toBe('en')
    expect(speech.voiceFor('1', 'zh-CN')).toBe('cmn-latn-pinyin')
    const phonemes = execFileSync('/usr/bin/espeak-ng', ['-v', 'cmn-latn-pinyin', '-q', '-x', '你好'], {
      encoding: 'utf8',
    })
    expect(phonemes).not.toContain('(en)')
    expect(phonemes).toMatch(/n'?i/)
  })

  it('renders a prompt once: the second request (and concurrent ones) read the cached file', async () => {
    let renders = 0
    const espeak = espeakSpeech()
    const counting: SpeechProvider = {
      name: espeak.name,
      voiceFor: espeak.voiceFor,
      render: async (input) => {
        renders += 1
        await espeak.render(input)
      },
    }
    const cache = createPromptCache({ dir: join(dir, 'prompts'), audioDir: join(dir, 'audio'), speech: counting })
    const [a, b] = await Promise.all([cache.speech('欢迎致电。'), cache.speech('欢迎致电。')])
    expect(renders).toBe(1)
    expect(a.equals(b)).toBe(true)
    // about a second of 8 kHz µ-law: 8000 bytes a second, not silence
    expect(a.length).toBeGreaterThan(4000)
    expect(a.some((byte) => byte !== 0xff && byte !== 0x7f)).toBe(true)
    const again = createPromptCache({ dir: join(dir, 'prompts'), audioDir: join(dir, 'audio'), speech: counting })
    expect((await again.speech('欢迎致电。')).equals(a)).toBe(true)
    expect(renders).toBe(1)
    await cache.speech('Your order has shipped.')
    expect(renders).toBe(2)
    // only finished prompts are in the directory (no temporary files left)
    expect(readdirSync(join(dir, 'prompts')).every((f) => /^[0-9a-f]{64}\.ul$/.test(f))).toBe(true)
  })

  it('converts a recording from the audio directory, and refuses a path outside it', async () => {
    const audioDir = join(dir, 'audio')
    execFileSync('/usr/bin/sox', ['-n', '-r', '16000', '-c', '1', join(dir, 'tone.wav'), 'synth', '0.5', 'sine', '440'])
    rmSync(audioDir, { recursive: true, force: true })
    execFileSync('mkdir', ['-p', audioDir])
    execFileSync('cp', [join(dir, 'tone.wav'), join(audioDir, 'welcome.wav')])
    writeFileSync(join(dir, 'secret.txt'), 'x')
    const cache = createPromptCache({ dir: join(dir, 'prompts'), audioDir, speech: espeakSpeech() })
    const audio = await cache.file('welcome.wav')
    expect(audio.length).toBe(4000) // 0.5 s at 8000 bytes a second
    await expect(cache.file('../secret.txt')).rejects.toThrow(/outside the audio directory/)
  })
})
