import type { ChatState } from './chat-state.js'
import { CHAT_ICON, CLIP_ICON, el } from './dom.js'
import type { Words } from './i18n.js'
import type { ChatMessage, Pending, Settings } from './protocol.js'
import { STYLES } from './styles.js'

/** What the view asks the controller to do. */
export interface ViewActions {
  send(text: string): void
  attach(file: File): void
  typing(): void
  submitForm(form: Record<string, string>): void
  rate(stars: number): void
  opened(): void
}

/**
 * The widget's DOM inside a shadow root (the host page's CSS cannot reach it): a launcher button,
 * and a panel with the header, the message list, quick replies, the typing line and the composer.
 */
export class ChatView {
  readonly root: ShadowRoot
  private readonly panel: HTMLDivElement
  private readonly launcher: HTMLButtonElement
  private readonly list: HTMLDivElement
  private readonly quick: HTMLDivElement
  private readonly typingLine: HTMLDivElement
  private readonly statusLine: HTMLDivElement
  private readonly titleEl: HTMLSpanElement
  private readonly input: HTMLInputElement
  private settings: Settings = {}
  private typingTimer: ReturnType<typeof setTimeout> | null = null
  private formSent = false

  constructor(
    host: HTMLElement,
    private readonly words: Words,
    lang: string,
    private readonly base: string,
    private readonly actions: ViewActions,
  ) {
    this.root = host.attachShadow({ mode: 'open' })
    this.root.append(el('style', {}, STYLES))
    this.launcher = el('button', {
      class: 'launcher',
      title: words.open,
      'aria-label': words.open,
      onclick: () => this.toggle(),
    })
    this.launcher.innerHTML = CHAT_ICON
    this.titleEl = el('span', { class: 'title' }, words.title)
    this.list = el('div', { class: 'list', role: 'log', 'aria-live': 'polite' })
    this.quick = el('div', { class: 'quick' })
    this.typingLine = el('div', { class: 'typing' })
    this.statusLine = el('div', { class: 'status' }, words.reconnecting)
    this.input = el('input', {
      type: 'text',
      placeholder: words.placeholder,
      'aria-label': words.placeholder,
      maxLength: 5000,
      oninput: () => actions.typing(),
      onkeydown: (e: KeyboardEvent) => e.key === 'Enter' && !e.isComposing && this.submit(),
    })
    this.input.setAttribute('type', 'text')
    const file = el('input', { type: 'file', accept: 'image/*,application/pdf,text/plain', hidden: true })
    file.setAttribute('type', 'file')
    file.addEventListener('change', () => {
      if (file.files?.[0]) actions.attach(file.files[0])
      file.value = ''
    })
    const attach = el('button', {
      class: 'attach',
      title: words.attach,
      'aria-label': words.attach,
      onclick: () => file.click(),
    })
    attach.innerHTML = CLIP_ICON
    this.panel = el(
      'div',
      { class: 'panel', role: 'dialog', lang },
      el(
        'header',
        {},
        this.titleEl,
        el('button', { title: words.close, 'aria-label': words.close, onclick: () => this.toggle() }, '×'),
      ),
      this.statusLine,
      this.list,
      this.quick,
      this.typingLine,
      el(
        'div',
        { class: 'composer' },
        attach,
        file,
        this.input,
        el('button', { class: 'send', onclick: () => this.submit() }, words.send),
      ),
    )
    this.root.append(this.launcher, this.panel)
  }

  get isOpen() {
    return this.panel.classList.contains('open')
  }

  toggle() {
    const open = !this.isOpen
    this.panel.classList.toggle('open', open)
    this.launcher.classList.toggle('hidden', open)
    if (open) {
      this.actions.opened()
      this.input.focus()
      this.list.scrollTop = this.list.scrollHeight
    }
  }

  apply(settings: Settings) {
    this.settings = settings
    const host = this.root.host as HTMLElement
    if (settings.color) host.style.setProperty('--sb-accent', settings.color)
    this.titleEl.textContent = settings.title || this.words.title
  }

  connected(up: boolean) {
    this.statusLine.classList.toggle('show', !up)
  }

  typing(from: string) {
    this.typingLine.textContent = `${from === 'agent' ? this.words.agent : this.words.bot} ${this.words.typing}`
    if (this.typingTimer) clearTimeout(this.typingTimer)
    this.typingTimer = setTimeout(() => (this.typingLine.textContent = ''), 4000)
  }

  private submit() {
    const text = this.input.value.trim()
    if (!text) return
    this.input.value = ''
    this.actions.send(text)
  }

  private bubble(m: ChatMessage): HTMLElement {
    const mine = m.direction === 'inbound'
    const node = el('div', {
      class: `msg ${mine ? 'in' : 'out'}${m.media ? ' media' : ''}`,
      'data-seq': m.seq,
      'data-by': m.by,
    })
    if (!mine) node.append(el('span', { class: 'who' }, m.by === 'agent' ? this.words.agent : this.words.bot))
    const url = m.media ? new URL(m.media.url, this.base).href : null
    if (url && m.media?.mimeType?.startsWith('image/')) node.append(el('img', { src: url, alt: m.text }))
    else if (url) node.append(el('a', { href: url, target: '_blank', rel: 'noopener' }, m.text))
    else node.append(m.text)
    return node
  }

  private pendingBubble(p: Pending): HTMLElement {
    const text = p.text ?? p.media?.name ?? (p.form ? '…' : '')
    return el('div', { class: `msg in pending${p.failed ? ' failed' : ''}`, title: p.failed ?? '' }, text)
  }

  /** Draws the whole thread again; threads are short and this keeps the view a function of state. */
  render(state: ChatState) {
    const messages = state.messages
    const stick = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40
    this.list.replaceChildren(el('div', { class: 'msg welcome' }, this.settings.welcome || this.words.welcome))
    for (const m of messages) this.list.append(this.bubble(m))
    for (const p of state.pending) this.list.append(this.pendingBubble(p))
    const last = messages.at(-1)
    const offline =
      !!this.settings.offlineMessage && last?.direction === 'outbound' && last.text === this.settings.offlineMessage
    if (offline && !this.formSent) this.list.append(this.offlineForm())
    if (state.status === 'resolved') this.list.append(this.ratingCard(state.rated))
    this.quick.replaceChildren(
      ...(last?.direction === 'outbound' && state.pending.length === 0 ? last.quickReplies : []).map((q) =>
        el('button', { onclick: () => this.actions.send(q) }, q),
      ),
    )
    if (stick || this.isOpen) this.list.scrollTop = this.list.scrollHeight
  }

  private offlineForm(): HTMLElement {
    const w = this.words
    const name = el('input', { placeholder: w.name, 'aria-label': w.name, maxLength: 100 })
    const contact = el('input', { placeholder: w.contact, 'aria-label': w.contact, maxLength: 100 })
    const question = el('textarea', { placeholder: w.question, 'aria-label': w.question, rows: 3, maxLength: 2000 })
    return el(
      'form',
      {
        class: 'card offline',
        onsubmit: (e: Event) => {
          e.preventDefault()
          if (!contact.value.trim() || !question.value.trim()) return
          this.formSent = true
          this.actions.submitForm({ name: name.value, contact: contact.value, question: question.value })
        },
      },
      el('div', {}, w.offlineTitle),
      name,
      contact,
      question,
      el('button', { type: 'submit' }, w.submit),
    )
  }

  private ratingCard(rated: boolean): HTMLElement {
    if (rated) return el('div', { class: 'card rating' }, this.words.thanksRating)
    const stars = el('div', { class: 'stars' })
    for (let n = 1; n <= 5; n++)
      stars.append(
        el(
          'button',
          {
            'aria-label': `${n}`,
            onclick: () => this.actions.rate(n),
            onmouseenter: () => stars.querySelectorAll('button').forEach((b, i) => b.classList.toggle('on', i < n)),
          },
          '★',
        ),
      )
    return el('div', { class: 'card rating' }, el('div', {}, this.words.rateTitle), stars)
  }
}
