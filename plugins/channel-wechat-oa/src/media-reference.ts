const SCHEME = 'wechat-media:'

/**
 * A WeChat media id (a customer's voice note or video, an image uploaded to WeChat) written as a
 * URL, `wechat-media:<media_id>`: the SDK's messages carry media as URLs, and WeChat media is
 * fetched with an access token, so its id travels instead.
 *
 * @example
 * ```ts
 * toMediaReference('MEDIA_ID') // 'wechat-media:MEDIA_ID'
 * ```
 */
export function toMediaReference(mediaId: string): string {
  return SCHEME + mediaId
}

/** The media id in a `wechat-media:<media_id>` URL, or null for any other URL. */
export function mediaIdOf(url: string): string | null {
  if (!url.startsWith(SCHEME)) return null
  const id = url.slice(SCHEME.length).trim()
  return id === '' ? null : id
}
