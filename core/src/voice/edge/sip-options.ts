import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'

export interface SipOptionsAnswer {
  status: number
  reason: string
  server: string | undefined
}

/**
 * Sends a SIP OPTIONS request over UDP to host:port and resolves with the answer's status, or
 * undefined when none came in time (sent twice, like a SIP client's first retransmission).
 * This is how Switchboard tells that Kamailio is up and serving.
 */
export function probeSipOptions(options: {
  host: string
  port: number
  timeoutMs?: number
}): Promise<SipOptionsAnswer | undefined> {
  const timeoutMs = options.timeoutMs ?? 1000
  const socket = createSocket('udp4')
  const callId = `sb-probe-${randomBytes(8).toString('hex')}`
  return new Promise((resolve) => {
    let retry: NodeJS.Timeout | undefined
    let timer: NodeJS.Timeout | undefined
    let done = false
    const finish = (answer: SipOptionsAnswer | undefined) => {
      if (done) return
      done = true
      clearTimeout(retry)
      clearTimeout(timer)
      socket.close()
      resolve(answer)
    }
    socket.on('error', () => finish(undefined))
    socket.on('message', (message) => {
      const text = message.toString('utf8')
      const status = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)/.exec(text)
      if (!status || !text.includes(callId)) return
      finish({ status: Number(status[1]), reason: status[2]!, server: /\r\nServer: *([^\r\n]*)/i.exec(text)?.[1] })
    })
    const loopback = options.host === '127.0.0.1'
    socket.bind(0, loopback ? '127.0.0.1' : undefined, () => {
      const { port } = socket.address()
      // with rport the answer comes back to where the request came from, whatever the Via says
      const local = loopback ? '127.0.0.1' : 'switchboard.invalid'
      const request = [
        `OPTIONS sip:${options.host}:${options.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${local}:${port};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
        `From: <sip:doctor@switchboard.invalid>;tag=${randomBytes(4).toString('hex')}`,
        `To: <sip:${options.host}:${options.port}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'User-Agent: Switchboard probe',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n')
      const send = () => socket.send(request, options.port, options.host, () => undefined)
      send()
      retry = setTimeout(send, timeoutMs / 2)
      timer = setTimeout(() => finish(undefined), timeoutMs)
    })
  })
}
