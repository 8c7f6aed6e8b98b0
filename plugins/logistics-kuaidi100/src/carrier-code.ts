/**
 * Shops write carriers by name (顺丰速运, "SF Express", "ZTO"): the ERP's shipments carry what
 * the shop typed. Kuaidi100 wants its own code (shunfeng). The common names map here; anything
 * else that is not already a code is left to carrier detection.
 */
const byName: Array<[RegExp, string]> = [
  [/顺丰|^sf( express)?$|shunfeng/i, 'shunfeng'],
  [/圆通|^yto( express)?$|yuantong/i, 'yuantong'],
  [/中通|^zto( express)?$|zhongtong/i, 'zhongtong'],
  [/韵达|^yunda( express)?$/i, 'yunda'],
  [/申通|^sto( express)?$|shentong/i, 'shentong'],
  [/^ems$|中国邮政速递|邮政ems/i, 'ems'],
  [/邮政|china post/i, 'youzhengguonei'],
  [/京东|^jd( logistics)?$/i, 'jd'],
  [/极兔|j&t|jtexpress/i, 'jtexpress'],
  [/德邦|deppon|debang/i, 'debangwuliu'],
  [/百世|汇通|best express|huitong/i, 'huitongkuaidi'],
]

/** The Kuaidi100 code for a carrier as a shop wrote it, or null to detect it from the waybill. */
export function carrierCode(carrier: string | undefined): string | null {
  const text = carrier?.trim() ?? ''
  if (!text) return null
  for (const [pattern, code] of byName) if (pattern.test(text)) return code
  return /^[A-Za-z0-9-]{2,32}$/.test(text) ? text.toLowerCase() : null
}
