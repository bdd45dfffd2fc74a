import http from 'node:http'
import https from 'node:https'
import { AddressPolicy } from './webhook-address'

/** What a receiver answered, or why nothing was answered. */
export type SendResult = { status: number } | { error: string }

/** How much of a receiver's answer is read: the status is what counts; a huge or endless body is cut off. */
export const ANSWER_CAP_BYTES = 64 * 1024

/**
 * POSTs one delivery. The connection goes only to an address the policy allows (checked after DNS, on every
 * attempt); redirects are not followed; the whole exchange has `timeoutMs`, and at most ANSWER_CAP_BYTES of the
 * answer are read.
 */
export async function send(url: string, headers: Record<string, string>, body: string, policy: AddressPolicy, timeoutMs: number): Promise<SendResult> {
  const target = new URL(url)
  try {
    // An IP literal is connected to without a lookup: check it here.
    await policy.resolve(target.hostname)
  } catch (error) {
    return { error: (error as Error).message }
  }
  const client = target.protocol === 'https:' ? https : http
  return new Promise<SendResult>((resolve) => {
    let settled = false
    const finish = (result: SendResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.destroy()
      resolve(result)
    }
    const request = client.request(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: policy.lookup as never },
      (response) => {
        let read = 0
        response.on('data', (chunk: Buffer) => {
          read += chunk.length
          if (read > ANSWER_CAP_BYTES) finish({ status: response.statusCode ?? 0 })
        })
        response.on('end', () => finish({ status: response.statusCode ?? 0 }))
        response.on('error', () => finish({ status: response.statusCode ?? 0 }))
      },
    )
    const timer = setTimeout(() => finish({ error: `no answer within ${timeoutMs} ms` }), timeoutMs)
    request.on('error', (error) => finish({ error: error.message.slice(0, 300) }))
    request.end(body)
  })
}
