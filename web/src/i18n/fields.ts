// Field names of the API's objects in words, for the audit log's before/after (a changed
// `minSpendCents` reads "Min spend" / "最低消费"). A name is split into its words
// (`pointsMultiplierBps` → points, multiplier, bps); each word is looked up here. Unit words
// (cents, bps) are dropped: the value is shown in its unit. fields.test.ts checks that every
// word of the audited objects in the OpenAPI document has a label in every language.
import type { Locale } from './index';

/** Words dropped from a field's name because its value is shown in the unit they name. */
export const UNIT_WORDS = new Set(['cents', 'bps']);

/** Words whose English is not the word itself (abbreviations, names). */
const EN: Record<string, string> = {
  id: 'ID',
  ids: 'IDs',
  rfm: 'RFM',
  url: 'URL',
  csrf: 'CSRF',
  ms: 'ms',
  sku: 'SKU',
  skus: 'SKUs',
  union: 'union',
  builtin: 'built-in',
  timezone: 'time zone',
  colour: 'colour',
};

const ZH: Record<string, string> = {
  access: '访问', activity: '活动', amount: '金额', ancestors: '嵌入来源', applied: '已报名', approved: '已通过', archived: '归档',
  at: '时间', attempt: '尝试', attempts: '尝试次数', balance: '余额', benefit: '权益', benefits: '权益', birthday: '生日', body: '内容',
  bonus: '奖励', branding: '品牌', breakdown: '明细', builtin: '内置', campaign: '活动', caps: '上限', check: '签到', clawback: '追回方式',
  code: '编码', codes: '编码', colour: '颜色', color: '颜色', completed: '完成', cost: '所需', count: '数量', coupon: '优惠券', created: '创建',
  csrf: 'CSRF', currency: '币种', daily: '每日', data: '数据', day: '日', days: '天数', deleted: '删除', delivered: '已送达',
  delivery: '配送', description: '说明', disabled: '停用', discount: '折扣', display: '显示', distribution: '分布', downgrade: '降级',
  downgraded: '降级', downgrades: '降级', earn: '获取', earned: '获得', email: '邮箱', end: '结束', ends: '结束', error: '错误',
  evaluated: '已评估', event: '事件', events: '事件', exact: '仅限', exchanged: '已兑换', exclusive: '专属', expires: '到期',
  expiry: '过期', external: '外部', fast: '极速', fee: '费用', fields: '字段', finished: '完成', first: '首', flag: '标记',
  flagged: '已标记', frame: '框架', free: '免', frequency: '频次', from: '自', gift: '礼', grant: '发放', granted: '已发放',
  grants: '发放规则', growth: '成长值', icon: '图标', id: 'ID', ids: 'ID', in: '于', include: '包含', invitee: '被邀请人',
  inviter: '邀请人', issued: '已发放', item: '商品', joined: '加入', keep: '保级', kind: '类型', language: '语言', last: '最近',
  latency: '延迟', limit: '上限', log: '日志', login: '登录', logo: '标志', max: '最多', member: '会员', min: '最低', monetary: '消费额',
  monthly: '每月', months: '月数', ms: '毫秒', multiplier: '倍数', name: '名称', next: '下一', of: '的', off: '减免',
  onboarding: '新会员', order: '订单', orders: '订单', path: '路径', per: '每', percent: '百分比', period: '周期', photo: '图片',
  plan: '付费会员', points: '积分', prefix: '前缀', price: '价格', priority: '优先', profile: '资料', progress: '进度',
  protected: '保护', purchase: '购买', rank: '排序', reason: '原因', recency: '最近消费', redeem: '抵扣', reference: '参考号',
  referral: '邀请', refund: '退款', refunds: '退款', remaining: '剩余', repeat: '重复', replay: '重放', required: '必填',
  response: '响应', retention: '保级', review: '评价', reviews: '评价', revoked: '已吊销', reward: '奖励', rewarded: '已奖励',
  rfm: 'RFM', risk: '风险', role: '角色', rules: '规则', sample: '样本', saved: '已保存', score: '分数', seats: '名额', share: '分享',
  shipping: '运费', shopping: '购物', shortfall: '差额', skus: '商品', source: '来源', spend: '消费', spent: '消费', start: '开始',
  started: '开始', starts: '开始', status: '状态', stock: '库存', store: '门店', stores: '门店', support: '客服', target: '目标',
  tasks: '任务', task: '任务', template: '模板', templates: '模板', tenant: '商户', test: '测试', threshold: '门槛', tier: '等级',
  tiers: '等级', timezone: '时区', to: '至', token: '令牌', trial: '体验', trigger: '触发', type: '类型', union: '统一', unit: '单位',
  upgrade: '升级', upgraded: '升级', upgrades: '升级', url: '地址', used: '已使用', user: '用户', valid: '有效', value: '价值',
  version: '版本', warn: '提醒', weekdays: '星期', weights: '权重', welcome: '欢迎', window: '窗口', would: '预计', delta: '变动',
  pack: '礼包', quota: '额度', enabled: '启用', secret: '密钥', sku: '商品', until: '截至', survivor: '保留会员', merged: '被合并',
  replay_of: '重放自', replayOf: '重放自', entry: '记录', quarter: '季度', week: '周', month: '月', year: '年', mode: '方式',
  model: '模型', qualification: '晋级', weight: '权重', frequencyDays: '频次天数', channel: '渠道', cap: '上限', rate: '比例', ratio: '比例',
  category: '分类', per_member: '每人', perMember: '每人', applications: '报名', application: '报名', early: '抢先', number: '数量',
  password: '密码', rewards: '奖励', slug: '短名', expires_at: '到期', phone: '手机', total: '合计', totals: '合计', minimum: '最低', maximum: '最高',
};

const LABELS: Record<Locale, Record<string, string>> = { en: EN, 'zh-CN': ZH };

/** The words of a field name: `minSpendCents` → min, spend, cents; `trial_until` → trial, until. */
export function fieldWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .toLowerCase()
    .split(' ')
    .filter(Boolean);
}

/** Whether a word has a label in `locale` (English words are themselves). */
export function hasFieldWord(locale: Locale, word: string): boolean {
  return locale === 'en' || Object.prototype.hasOwnProperty.call(ZH, word);
}

/** A field name in words: "Min spend" / "最低消费"; an unknown word stays as it is. */
export function fieldLabel(locale: Locale, name: string): string {
  if (/^\d+$/.test(name)) return `#${Number(name) + 1}`;
  const words = fieldWords(name).filter((w, _, all) => !UNIT_WORDS.has(w) || all.length === 1);
  const dict = LABELS[locale];
  const out = words.map((w) => dict[w] ?? w);
  if (locale === 'zh-CN') return out.join('');
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
