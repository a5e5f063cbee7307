'use client';
// The member center: one screen of content per page, phone first (390 px), thumb-reachable
// actions at the bottom. The first screen comes from one call (GET /v1/me); the other pages
// load their list when opened. The member token is read from the URL fragment once, kept in
// sessionStorage for reloads and removed from the address bar; on a 401 the page asks its host
// (postMessage) for a fresh token and retries once.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { translator, type Locale, type MessageKey, type Translate } from '@/i18n';
import createClient from 'openapi-fetch';
import type { Api, paths, Schemas } from '@/lib/api';
import { formatDate, formatMoney, formatNumber } from '@/lib/format';
import { BenefitIcon, entitlementIcon, TILE_ICONS, type BenefitIconName } from './benefit-icons';

type Me = Schemas['Me'];
type Reward = Schemas['Reward'];
type Coupon = Schemas['Coupon'];
type LedgerEntry = Schemas['LedgerEntry'];
type InboxMessage = Schemas['InboxMessage'];
type Benefits = Schemas['Benefits'];
type View = 'home' | 'benefits' | 'tasks' | 'mall' | 'me';

const TOKEN_MESSAGE = 'unionpoint.member-center.token';
const EXPIRED_MESSAGE = 'unionpoint.member-center.token-expired';
const TIER_COLOURS = ['#9A6B3F', '#7D8794', '#B8892B', '#3D4A6B', '#5B2C6F', '#1F5F5B'];
const WEEKDAYS: Record<Locale, string[]> = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};

class CenterError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** 9800 → 98折 / 2% off; 9000 → 9折 / 10% off; 8750 → 87.5折 / 12.5% off. */
export function discountText(bps: number, locale: Locale): string {
  if (locale === 'zh-CN') {
    const tens = bps / 100;
    const zhe = Number.isInteger(tens) && tens % 10 === 0 ? tens / 10 : tens;
    return `${zhe}折`;
  }
  const off = (10_000 - bps) / 100;
  return `${off}% off`;
}

function multiplier(bps: number): string {
  return String(bps / 10_000);
}

function useToken(): [string | null, (t: string) => void, boolean] {
  const [token, setToken] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
    const stored = window.sessionStorage.getItem('up.member-token');
    const t = fromHash && fromHash.startsWith('upm_') ? fromHash : stored;
    if (fromHash) {
      // Out of the address bar (and so out of anything copied, shared or logged from it).
      window.history.replaceState(null, '', window.location.pathname);
    }
    if (t) {
      window.sessionStorage.setItem('up.member-token', t);
      setToken(t);
    }
    setReady(true);
  }, []);
  const update = useCallback((t: string) => {
    window.sessionStorage.setItem('up.member-token', t);
    setToken(t);
  }, []);
  return [token, update, ready];
}

/** Asks the embedding page for a fresh token; resolves null after 10 s without one. */
function askHostForToken(): Promise<string | null> {
  if (window.parent === window && !(window as unknown as { ReactNativeWebView?: unknown }).ReactNativeWebView) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = window.setTimeout(() => {
      window.removeEventListener('message', onMessage);
      resolve(null);
    }, 10_000);
    function onMessage(e: MessageEvent) {
      const d = e.data as { type?: string; token?: string } | null;
      if (d && d.type === TOKEN_MESSAGE && typeof d.token === 'string' && d.token.startsWith('upm_')) {
        window.clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        resolve(d.token);
      }
    }
    window.addEventListener('message', onMessage);
    window.parent.postMessage({ type: EXPIRED_MESSAGE }, '*');
  });
}

export function MemberCenter({ tenant }: { tenant: string }) {
  const [token, setToken, ready] = useToken();
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const [me, setMe] = useState<Me | null>(null);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<View>('home');
  const [lang, setLang] = useState<Locale | null>(null);
  const locale: Locale = lang ?? (me?.center.language as Locale | undefined) ?? 'zh-CN';
  const t = useMemo(() => translator(locale), [locale]);

  // The typed client (types from the API's OpenAPI document), same origin through the /v1
  // forwarder, the member token on every request.
  const api = useMemo(() => {
    const client = createClient<paths>({ baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin, referrerPolicy: 'no-referrer', cache: 'no-store' });
    client.use({
      onRequest({ request }) {
        request.headers.set('Authorization', `Bearer ${tokenRef.current ?? ''}`);
        return request;
      },
    });
    return client;
  }, []);

  /** One API call: on a 401 the host is asked for a fresh token and the call runs once more. */
  const call = useCallback(
    async <T,>(run: (api: Api) => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
      let r = await run(api);
      if (r.response.status === 401) {
        const fresh = await askHostForToken();
        if (fresh) {
          setToken(fresh);
          tokenRef.current = fresh;
          r = await run(api);
        }
        if (r.response.status === 401) {
          setEnded(true);
          throw new CenterError(401, 'session_expired', 'session ended');
        }
      }
      if (!r.response.ok) {
        const p = (r.error ?? {}) as { code?: string; detail?: string };
        throw new CenterError(r.response.status, p.code ?? 'error', p.detail ?? r.response.statusText);
      }
      return r.data as T;
    },
    [api, setToken],
  );

  const reload = useCallback(async () => {
    try {
      setMe(await call((c) => c.GET('/v1/me')));
      setError(null);
    } catch (e) {
      if (e instanceof CenterError && e.status === 401) return;
      setError((e as Error).message);
    }
  }, [call]);

  useEffect(() => {
    if (ready && token && !me) void reload();
  }, [ready, token, me, reload]);

  // An upgrade the member has not seen: kept here (a reload after reading it no longer names
  // it) and its message marked read at once, so it is celebrated once.
  const [celebration, setCelebration] = useState<Me['celebration']>(null);
  const [closed, setClosed] = useState<string | null>(null);
  useEffect(() => {
    const c = me?.celebration;
    if (!c || c.messageId === celebration?.messageId) return;
    setCelebration(c);
    void call((api) => api.POST('/v1/me/inbox/{id}/read', { params: { path: { id: c.messageId } } })).catch(() => undefined);
  }, [me, celebration, call]);

  const colour = me?.center.colour ?? '#C8102E';
  const shell = (content: ReactNode) => (
    <div
      lang={locale}
      className="mx-auto flex min-h-screen w-full max-w-[480px] flex-col bg-neutral-50 text-neutral-900"
      style={{ fontFamily: '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif', ['--brand' as string]: colour }}
      data-tenant={tenant}
    >
      {content}
    </div>
  );

  if (!ready) return shell(<p className="p-6 text-sm text-neutral-500">{t('center.loading')}</p>);
  if (!token) return shell(<p className="p-6 text-sm">{t('center.noToken')}</p>);
  if (ended) return shell(<p className="p-6 text-sm" role="alert">{t('center.sessionEnded')}</p>);
  if (error && !me)
    return shell(
      <div className="p-6 text-sm" role="alert">
        <p>{t('center.error', { detail: error })}</p>
        <button className="mt-4 rounded-full border px-4 py-2" onClick={() => void reload()}>
          {t('center.retry')}
        </button>
      </div>,
    );
  if (!me) return shell(<p className="p-6 text-sm text-neutral-500">{t('center.loading')}</p>);

  const ctx: PageCtx = { me, t, locale, call, reload, colour, celebration: celebration && closed !== celebration.messageId ? celebration : null, closeCelebration: () => setClosed(celebration?.messageId ?? null) };
  return shell(
    <>
      <header className="flex items-center justify-between gap-3 px-4 pt-4">
        <div className="flex min-w-0 items-center gap-2">
          {me.center.logoUrl ? <img src={me.center.logoUrl} alt="" className="h-7 w-7 rounded" referrerPolicy="no-referrer" /> : null}
          <span className="truncate text-base font-semibold">{me.center.displayName ?? t('center.title')}</span>
        </div>
        <button className="shrink-0 rounded-full border border-neutral-300 px-3 py-1 text-xs" onClick={() => setLang(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('center.language')}
        </button>
      </header>
      <main className="flex-1 px-4 pb-24 pt-3">
        {view === 'home' ? <Home ctx={ctx} go={setView} /> : null}
        {view === 'benefits' ? <BenefitsPage ctx={ctx} /> : null}
        {view === 'tasks' ? <TasksPage ctx={ctx} /> : null}
        {view === 'mall' ? <MallPage ctx={ctx} /> : null}
        {view === 'me' ? <MinePage ctx={ctx} /> : null}
      </main>
      <nav className="fixed inset-x-0 bottom-0 mx-auto grid w-full max-w-[480px] grid-cols-5 border-t border-neutral-200 bg-white pb-[env(safe-area-inset-bottom)]" aria-label={t('center.title')}>
        {(['home', 'benefits', 'tasks', 'mall', 'me'] as View[]).map((v) => (
          <button
            key={v}
            className="flex h-14 flex-col items-center justify-center text-xs"
            style={view === v ? { color: colour, fontWeight: 600 } : undefined}
            aria-current={view === v ? 'page' : undefined}
            onClick={() => setView(v)}
          >
            {t(`center.nav.${v}` as MessageKey)}
            {v === 'me' && me.unreadMessages > 0 ? <span className="ml-1 inline-block h-2 w-2 rounded-full bg-red-500" aria-label={t('center.unread', { count: me.unreadMessages })} /> : null}
          </button>
        ))}
      </nav>
    </>,
  );
}

interface PageCtx {
  me: Me;
  /** The upgrade to celebrate while the member has not closed it (kept after its message is read). */
  celebration: Me['celebration'];
  closeCelebration: () => void;
  t: Translate;
  locale: Locale;
  call: <T>(run: (api: Api) => Promise<{ data?: T; error?: unknown; response: Response }>) => Promise<T>;
  reload: () => Promise<void>;
  colour: string;
}

const money = (ctx: PageCtx, cents: number) => formatMoney(cents, ctx.me.center.currency, ctx.locale);
const num = (ctx: PageCtx, n: number) => formatNumber(n, ctx.locale);
const day = (ctx: PageCtx, iso: string | null | undefined) => formatDate(iso, ctx.me.center.timezone, ctx.locale);

function Card({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <section className={`mb-3 rounded-2xl bg-white p-4 shadow-sm ${className}`}>{children}</section>;
}

function unitText(ctx: PageCtx, unit: string, value: number): string {
  return unit === 'spendCents' ? money(ctx, value) : num(ctx, value);
}

function TierCard({ ctx }: { ctx: PageCtx }) {
  const { me, t } = ctx;
  const rank = me.center.ladder.find((x) => x.code === me.member.tier.code)?.rank ?? 0;
  const bg = TIER_COLOURS[Math.min(rank, TIER_COLOURS.length - 1)]!;
  const p = me.progress;
  const next = p.nextTier;
  const pct = next ? Math.max(0, Math.min(100, Math.floor((p.current * 100) / Math.max(1, next.threshold)))) : 100;
  return (
    <section className="mb-3 rounded-2xl p-4 text-white shadow" style={{ background: `linear-gradient(135deg, ${bg}, #1f1f1f)` }} data-testid="tier-card">
      <div className="flex items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold" data-testid="tier-name">
          {me.member.tier.name}
        </h1>
        <span className="text-xs opacity-80">{t('center.memberSince', { date: day(ctx, me.member.createdAt) })}</span>
      </div>
      <div
        className="mt-4 h-2 w-full overflow-hidden rounded-full bg-white/25"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={next?.threshold ?? p.current}
        aria-valuenow={p.current}
        data-testid="progress-bar"
        data-unit={p.unit}
      >
        <div className="h-full rounded-full bg-white" style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-2 text-sm" data-testid="progress-text">
        {next ? t(`center.next.${p.unit}` as MessageKey, { missing: unitText(ctx, p.unit, next.missing), tier: next.name }) : t('center.topTier')}
      </p>
    </section>
  );
}

function Retention({ ctx }: { ctx: PageCtx }) {
  const { me, t } = ctx;
  const r = me.progress.retention;
  if (!r) return null;
  const tier = me.member.tier.name;
  const date = day(ctx, r.periodEnd);
  const missSpend = r.missing.spendCents ?? 0;
  const missGrowth = r.missing.growth ?? 0;
  const text =
    missSpend === 0 && missGrowth === 0
      ? t('center.keep.done', { tier })
      : r.unit === 'both'
        ? t('center.keep.both', { date, spend: money(ctx, missSpend), growth: num(ctx, missGrowth), tier })
        : r.unit === 'spendCents'
          ? t('center.keep.spendCents', { date, missing: money(ctx, missSpend), tier })
          : t('center.keep.growth', { date, missing: num(ctx, missGrowth), tier });
  return (
    <section
      className={`mb-3 rounded-2xl p-3 text-sm ${r.atRisk ? 'border border-amber-300 bg-amber-50 text-amber-900' : 'bg-white text-neutral-700 shadow-sm'}`}
      data-testid="retention"
      data-at-risk={r.atRisk ? 'true' : 'false'}
    >
      {r.atRisk ? <strong className="mr-2">{t('center.keep.atRisk')}</strong> : null}
      {text}
    </section>
  );
}

function MemberDay({ ctx }: { ctx: PageCtx }) {
  const { me, t, locale } = ctx;
  const d = me.memberDay;
  if (!d) return null;
  const discount = discountText(d.discountBps, locale);
  const points = t('center.pointsMultiplier', { times: multiplier(d.pointsMultiplierBps) });
  const weekday = WEEKDAYS[locale][(((new Date(`${d.next}T12:00:00Z`).getUTCDay() + 6) % 7) + 7) % 7]!;
  const text = d.today
    ? t('center.memberDay.today', { discount, points })
    : d.daysUntil === 1
      ? t('center.memberDay.tomorrow', { discount })
      : t('center.memberDay.next', { weekday, discount, days: d.daysUntil });
  return (
    <Card className="text-sm">
      <span style={{ color: ctx.colour }} className="font-semibold" data-testid="member-day">
        {text}
      </span>
    </Card>
  );
}

interface Tile {
  key: string;
  text: string;
  group: 'shopping' | 'service' | 'exclusive';
  icon: BenefitIconName;
}

function benefitTiles(b: Benefits, ctx: PageCtx): Tile[] {
  const { t, locale } = ctx;
  const out: Omit<Tile, 'icon'>[] = [];
  if (b.discountBps !== undefined && b.discountBps < 10_000) out.push({ key: 'discount', text: t('center.benefit.discount', { discount: discountText(b.discountBps, locale) }), group: 'shopping' });
  if (b.pointsMultiplierBps !== undefined && b.pointsMultiplierBps > 10_000) out.push({ key: 'points', text: t('center.benefit.points', { times: multiplier(b.pointsMultiplierBps) }), group: 'shopping' });
  if (b.freeShippingThresholdCents === 0) out.push({ key: 'shipping', text: t('center.benefit.freeShipping'), group: 'shopping' });
  else if (typeof b.freeShippingThresholdCents === 'number') out.push({ key: 'shipping', text: t('center.benefit.freeShippingOver', { amount: money(ctx, b.freeShippingThresholdCents) }), group: 'shopping' });
  if (b.memberDay) out.push({ key: 'memberDay', text: t('center.benefit.memberDay'), group: 'shopping' });
  if (b.prioritySupport) out.push({ key: 'support', text: t('center.benefit.prioritySupport'), group: 'service' });
  if (b.priorityDelivery) out.push({ key: 'delivery', text: t('center.benefit.priorityDelivery'), group: 'service' });
  if (b.fastRefund) out.push({ key: 'refund', text: t('center.benefit.fastRefund'), group: 'service' });
  if (b.birthdayGift) out.push({ key: 'birthday', text: t('center.benefit.birthday'), group: 'exclusive' });
  if (b.upgradeGift) out.push({ key: 'upgrade', text: t('center.benefit.upgradeGift'), group: 'exclusive' });
  if (b.exclusiveAccess) out.push({ key: 'exclusive', text: t('center.benefit.exclusive'), group: 'exclusive' });
  return out.map((x) => ({ ...x, icon: TILE_ICONS[x.key] ?? 'sparkle' }));
}

/** The catalogue's entitlements as tiles of the home grid. */
function entitlementTiles(ctx: PageCtx): Tile[] {
  return ctx.me.entitlements.map((e) => ({
    key: `ent:${e.benefitCode}`,
    text: e.name,
    group: e.category === 'service' ? 'service' : e.category === 'exclusive' ? 'exclusive' : 'shopping',
    icon: entitlementIcon(e.icon, e.kind),
  }));
}

function BenefitGrid({ ctx, benefits, locked }: { ctx: PageCtx; benefits: Tile[]; locked?: string }) {
  return (
    <ul className="grid grid-cols-3 gap-2" data-testid={locked ? 'locked-benefits' : 'benefits'}>
      {benefits.map((b) => (
        <li key={b.key} className={`flex min-h-16 flex-col items-center justify-center rounded-xl p-2 text-center text-xs ${locked ? 'bg-neutral-100 text-neutral-400' : 'bg-neutral-50'}`}>
          <span
            className="mb-1 flex h-9 w-9 items-center justify-center rounded-full"
            style={locked ? { background: '#e5e5e5', color: '#a3a3a3' } : { background: `color-mix(in srgb, ${ctx.colour} 12%, white)`, color: ctx.colour }}
          >
            <BenefitIcon name={b.icon} className="h-5 w-5" />
          </span>
          <span className="break-words">{b.text}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The upgrade celebration (晋升), shown once: the API names the newest unread upgrade, and the
 * center marks its message read as soon as it shows it (MemberCenter), so the next visit does
 * not repeat it. The card stays on the home page until the member closes it or opens their
 * benefits. Motion only where the member has not asked for less.
 */
function Celebration({ ctx, celebration: c, onClose, go }: { ctx: PageCtx; celebration: NonNullable<Me['celebration']>; onClose: () => void; go: (v: View) => void }) {
  const { me, t } = ctx;
  const rank = me.center.ladder.find((x) => x.code === c.tier.code)?.rank ?? 0;
  const bg = TIER_COLOURS[Math.min(rank, TIER_COLOURS.length - 1)]!;
  const sparks = [
    { left: '12%', top: '58%', delay: '0ms' },
    { left: '26%', top: '30%', delay: '180ms' },
    { left: '70%', top: '26%', delay: '90ms' },
    { left: '84%', top: '54%', delay: '260ms' },
    { left: '55%', top: '64%', delay: '340ms' },
  ];
  return (
    <section
      className="relative mb-3 overflow-hidden rounded-2xl p-4 text-white shadow"
      style={{ background: `linear-gradient(135deg, ${ctx.colour}, ${bg})`, animation: 'up-pop 420ms ease-out both' }}
      role="status"
      aria-live="polite"
      data-testid="celebration"
      data-celebration
    >
      <style>{`@keyframes up-pop{0%{transform:scale(.94);opacity:0}70%{transform:scale(1.01);opacity:1}100%{transform:scale(1)}}
@keyframes up-spark{0%{transform:translateY(6px) scale(.3);opacity:0}35%{opacity:1}100%{transform:translateY(-22px) scale(1);opacity:0}}
@media (prefers-reduced-motion: reduce){[data-celebration],[data-celebration] *{animation:none!important}}`}</style>
      {sparks.map((p, i) => (
        <span key={i} className="pointer-events-none absolute text-white/80" style={{ left: p.left, top: p.top, animation: `up-spark 1400ms ease-out ${p.delay} 2 both` }} aria-hidden>
          <BenefitIcon name="sparkle" className="h-3.5 w-3.5" />
        </span>
      ))}
      <button className="absolute right-2 top-2 h-8 w-8 rounded-full text-lg leading-none text-white/80" aria-label={t('center.celebration.close')} onClick={onClose}>
        ×
      </button>
      <div className="flex items-center gap-3 pr-6">
        <span className="flex h-12 w-12 shrink-0 items-center justify-center rounded-full bg-white/20">
          <BenefitIcon name="crown" className="h-7 w-7" />
        </span>
        <div className="min-w-0">
          <h2 className="text-lg font-bold">{t('center.celebration.title', { tier: c.tier.name })}</h2>
          <p className="text-sm opacity-90">{t('center.celebration.body', { from: c.from.name, tier: c.tier.name })}</p>
        </div>
      </div>
      <button
        className="mt-3 w-full rounded-full bg-white py-2 text-sm font-semibold"
        style={{ color: bg }}
        onClick={() => {
          onClose();
          go('benefits');
        }}
      >
        {t('center.celebration.cta')}
      </button>
    </section>
  );
}

function TaskStrip({ ctx, full = false }: { ctx: PageCtx; full?: boolean }) {
  const { me, t } = ctx;
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const checkIn = async () => {
    setBusy(true);
    try {
      const r = await ctx.call((c) => c.POST('/v1/me/check-ins'));
      setNote(t('center.checkInDone', { points: r.pointsAwarded, streak: r.streak }));
      await ctx.reload();
    } catch (e) {
      setNote((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const tasks = me.tasks;
  return (
    <Card>
      <h2 className="mb-2 text-sm font-semibold">{t('center.todayTasks')}</h2>
      <ul className="divide-y divide-neutral-100">
        {tasks.map((task) => (
          <li key={task.code} className="flex items-center justify-between gap-2 py-2 text-sm">
            <div className="min-w-0">
              <p className="truncate">{task.name}</p>
              <p className="text-xs text-neutral-500">
                {t('center.reward.points', { points: task.reward.points })}
                {full ? ` · ${t('center.task.progress', { progress: task.progress, target: task.target })}` : ''}
              </p>
            </div>
            {task.code === 'check_in' ? (
              task.completed ? (
                <span className="shrink-0 text-xs text-neutral-500">{t('center.checkedIn')}</span>
              ) : (
                <button className="shrink-0 rounded-full px-4 py-2 text-sm font-semibold text-white disabled:opacity-50" style={{ background: ctx.colour }} disabled={busy} onClick={() => void checkIn()}>
                  {t('center.checkIn')}
                </button>
              )
            ) : task.completed ? (
              <span className="shrink-0 text-xs text-neutral-500">{t('center.task.done')}</span>
            ) : null}
          </li>
        ))}
      </ul>
      {note ? (
        <p className="mt-2 text-sm" role="status" data-testid="check-in-result">
          {note}
        </p>
      ) : null}
    </Card>
  );
}

function Home({ ctx, go }: { ctx: PageCtx; go: (v: View) => void }) {
  const { me, t } = ctx;
  const tiles = [...benefitTiles(me.benefits, ctx), ...entitlementTiles(ctx)];
  const soon = me.member.points.expiringSoon[0];
  return (
    <>
      {ctx.celebration ? <Celebration ctx={ctx} celebration={ctx.celebration} onClose={ctx.closeCelebration} go={go} /> : null}
      <TierCard ctx={ctx} />
      <Retention ctx={ctx} />
      <MemberDay ctx={ctx} />
      <Card>
        <button className="mb-2 text-sm font-semibold" onClick={() => go('benefits')}>
          {t('center.myBenefits')}
        </button>
        {tiles.length ? <BenefitGrid ctx={ctx} benefits={tiles.slice(0, 6)} /> : <p className="text-sm text-neutral-500">{t('center.noBenefits')}</p>}
      </Card>
      <Card>
        <div className="flex items-baseline justify-between">
          <h2 className="text-sm font-semibold">{t('center.points')}</h2>
          <span className="text-xl font-bold" data-testid="points-balance">
            {t('center.pointsBalance', { points: num(ctx, me.member.points.balance) })}
          </span>
        </div>
        <p className="mt-1 text-xs text-neutral-500">
          {soon ? t('center.expiring', { points: num(ctx, soon.points), date: day(ctx, soon.expiresAt) }) : t('center.noExpiring')}
        </p>
      </Card>
      <TaskStrip ctx={ctx} />
    </>
  );
}

function BenefitsPage({ ctx }: { ctx: PageCtx }) {
  const { me, t } = ctx;
  const tiles = benefitTiles(me.benefits, ctx);
  const rank = me.center.ladder.find((x) => x.code === me.member.tier.code)?.rank ?? 0;
  const higher = me.center.ladder.filter((x) => x.rank > rank);
  const have = new Set(tiles.map((x) => x.text));
  return (
    <>
      {(['shopping', 'service', 'exclusive'] as const).map((g) => {
        const list = tiles.filter((x) => x.group === g);
        return list.length ? (
          <Card key={g}>
            <h2 className="mb-2 text-sm font-semibold">{t(`center.group.${g}` as MessageKey)}</h2>
            <BenefitGrid ctx={ctx} benefits={list} />
          </Card>
        ) : null;
      })}
      <Card>
        <h2 className="mb-2 text-sm font-semibold">{t('center.entitlements')}</h2>
        {me.entitlements.length ? (
          <ul className="text-sm">
            {me.entitlements.map((e) => (
              <li key={e.benefitCode} className="flex items-center justify-between gap-2 py-1.5">
                <span className="flex min-w-0 items-center gap-2">
                  <span className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full" style={{ background: `color-mix(in srgb, ${ctx.colour} 12%, white)`, color: ctx.colour }}>
                    <BenefitIcon name={entitlementIcon(e.icon, e.kind)} className="h-4 w-4" />
                  </span>
                  <span className="truncate">{e.name}</span>
                </span>
                <span className="shrink-0 text-neutral-500">
                  {e.granted === null ? t('center.entitlement.unlimited') : t('center.entitlement.left', { remaining: e.remaining ?? 0, granted: e.granted })}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-neutral-500">{t('center.noEntitlements')}</p>
        )}
      </Card>
      {higher.map((tier) => {
        const extra = benefitTiles(tier.benefits, ctx).filter((x) => !have.has(x.text));
        return extra.length ? (
          <Card key={tier.code}>
            <h2 className="mb-2 text-sm font-semibold text-neutral-500">{t('center.locked', { tier: tier.name })}</h2>
            <BenefitGrid ctx={ctx} benefits={extra} locked={tier.code} />
          </Card>
        ) : null;
      })}
    </>
  );
}

function TasksPage({ ctx }: { ctx: PageCtx }) {
  const { me, t } = ctx;
  const check = me.tasks.find((x) => x.code === 'check_in');
  const streak = check?.streak ?? 0;
  const rewards = me.center.checkInRewards;
  // The week's rising rewards: the day the streak is on is highlighted, the days before it done.
  const position = check?.completed ? streak : streak + 1;
  const start = Math.max(1, position - 6);
  const days = Array.from({ length: 7 }, (_, i) => start + i);
  return (
    <>
      <Card>
        <div className="mb-2 flex items-baseline justify-between">
          <h2 className="text-sm font-semibold">{t('center.week')}</h2>
          <span className="text-xs text-neutral-500">{t('center.streak', { days: streak })}</span>
        </div>
        <ol className="grid grid-cols-7 gap-1" data-testid="check-in-week">
          {days.map((n) => {
            const done = n < position || (n === position && check?.completed);
            return (
              <li key={n} className={`rounded-lg py-2 text-center text-[11px] ${done ? 'text-white' : 'bg-neutral-100 text-neutral-600'}`} style={done ? { background: ctx.colour } : undefined}>
                <div>{t('center.day', { n })}</div>
                <div className="font-semibold">+{rewards[Math.min(n, rewards.length) - 1] ?? 0}</div>
              </li>
            );
          })}
        </ol>
      </Card>
      <TaskStrip ctx={ctx} full />
    </>
  );
}

function MallPage({ ctx }: { ctx: PageCtx }) {
  const { me, t } = ctx;
  const [rewards, setRewards] = useState<Reward[] | null>(null);
  const [confirm, setConfirm] = useState<Reward | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void ctx.call((c) => c.GET('/v1/me/rewards', { params: { query: { limit: 100 } } })).then((r) => setRewards(r.data), () => setRewards([]));
  }, [ctx]);
  const exchange = async (r: Reward) => {
    setBusy(true);
    try {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      const reference = `center-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
      const out = await ctx.call((c) => c.POST('/v1/me/rewards/{code}/exchange', { params: { path: { code: r.code } }, body: { reference } }));
      setResult(t('center.exchanged', { name: r.name, balance: num(ctx, out.balance) }));
      setConfirm(null);
      await ctx.reload();
      const fresh = await ctx.call((c) => c.GET('/v1/me/rewards', { params: { query: { limit: 100 } } }));
      setRewards(fresh.data);
    } catch (e) {
      setResult(e instanceof CenterError && e.code === 'insufficient_points' ? t('center.notEnough') : (e as Error).message);
      setConfirm(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Card>
        <div className="flex items-baseline justify-between">
          <h2 className="text-sm font-semibold">{t('center.mall')}</h2>
          <span className="text-sm font-semibold" data-testid="mall-balance">
            {t('center.pointsBalance', { points: num(ctx, me.member.points.balance) })}
          </span>
        </div>
        {result ? (
          <p className="mt-2 rounded-lg bg-neutral-100 p-2 text-sm" role="status" data-testid="exchange-result">
            {result}
          </p>
        ) : null}
      </Card>
      {rewards === null ? <p className="text-sm text-neutral-500">{t('center.loading')}</p> : null}
      {rewards?.length === 0 ? <p className="text-sm text-neutral-500">{t('center.noRewards')}</p> : null}
      <ul className="grid grid-cols-2 gap-3">
        {rewards?.map((r) => {
          const out = r.stock !== null && r.stock <= 0;
          return (
            <li key={r.code} className="flex flex-col rounded-2xl bg-white p-3 shadow-sm">
              <p className="min-h-10 text-sm font-medium">{r.name}</p>
              <p className="text-sm font-semibold" style={{ color: ctx.colour }}>
                {t('center.cost', { points: num(ctx, r.pointsCost) })}
              </p>
              <p className="text-xs text-neutral-500">{out ? t('center.outOfStock') : r.stock !== null ? t('center.stock', { stock: r.stock }) : '\u00a0'}</p>
              <button
                className="mt-2 rounded-full py-2 text-sm font-semibold text-white disabled:opacity-40"
                style={{ background: ctx.colour }}
                disabled={out || me.member.points.balance < r.pointsCost}
                onClick={() => setConfirm(r)}
              >
                {me.member.points.balance < r.pointsCost ? t('center.notEnough') : t('center.exchange')}
              </button>
            </li>
          );
        })}
      </ul>
      {confirm ? (
        <div className="fixed inset-0 z-10 flex items-end justify-center bg-black/40" role="dialog" aria-modal="true">
          <div className="w-full max-w-[480px] rounded-t-2xl bg-white p-5">
            <p className="mb-4 text-base">{t('center.confirmExchange', { points: num(ctx, confirm.pointsCost), name: confirm.name })}</p>
            <div className="grid grid-cols-2 gap-3">
              <button className="rounded-full border py-3 text-sm" onClick={() => setConfirm(null)}>
                {t('center.cancel')}
              </button>
              <button className="rounded-full py-3 text-sm font-semibold text-white disabled:opacity-50" style={{ background: ctx.colour }} disabled={busy} onClick={() => void exchange(confirm)}>
                {t('center.confirm')}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </>
  );
}

function CouponsSection({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  const [tab, setTab] = useState<'available' | 'used' | 'expired'>('available');
  const [coupons, setCoupons] = useState<Coupon[] | null>(null);
  useEffect(() => {
    setCoupons(null);
    void ctx.call((c) => c.GET('/v1/me/coupons', { params: { query: { status: tab, limit: 100 } } })).then((r) => setCoupons(r.data), () => setCoupons([]));
  }, [ctx, tab]);
  return (
    <Card>
      <h2 className="mb-2 text-sm font-semibold">{t('center.coupons')}</h2>
      <div className="mb-3 grid grid-cols-3 rounded-full bg-neutral-100 p-1 text-sm" role="tablist">
        {(['available', 'used', 'expired'] as const).map((s) => (
          <button key={s} role="tab" aria-selected={tab === s} className={`rounded-full py-1 ${tab === s ? 'bg-white font-semibold shadow-sm' : ''}`} onClick={() => setTab(s)}>
            {t(`center.coupons.${s}` as MessageKey)}
          </button>
        ))}
      </div>
      {coupons?.length === 0 ? <p className="text-sm text-neutral-500">{t('center.noCoupons')}</p> : null}
      <ul className="space-y-2">
        {coupons?.map((c) => (
          <li key={c.id} className={`flex items-center gap-3 rounded-xl border p-3 text-sm ${tab === 'available' ? '' : 'opacity-60'}`}>
            <span className="w-20 shrink-0 text-center text-lg font-bold" style={{ color: ctx.colour }}>
              {c.template.amountCents !== null ? money(ctx, c.template.amountCents) : c.template.percentBps !== null ? discountText(10_000 - c.template.percentBps, ctx.locale) : ''}
            </span>
            <div className="min-w-0">
              <p className="truncate font-medium">{c.template.name}</p>
              <p className="text-xs text-neutral-500">
                {c.template.minSpendCents > 0 ? t('center.coupon.minSpend', { amount: money(ctx, c.template.minSpendCents) }) : t('center.coupon.noMin')} ·{' '}
                {c.usedAt ? t('center.coupon.usedAt', { date: day(ctx, c.usedAt) }) : t('center.coupon.expires', { date: day(ctx, c.expiresAt) })}
              </p>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function HistorySection({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  const [entries, setEntries] = useState<LedgerEntry[] | null>(null);
  useEffect(() => {
    void ctx.call((c) => c.GET('/v1/me/ledger', { params: { query: { limit: 50, kind: 'points' } } })).then((r) => setEntries(r.data), () => setEntries([]));
  }, [ctx]);
  return (
    <Card>
      <h2 className="mb-2 text-sm font-semibold">{t('center.history')}</h2>
      {entries?.length === 0 ? <p className="text-sm text-neutral-500">{t('center.noHistory')}</p> : null}
      <ul className="divide-y divide-neutral-100" data-testid="points-history">
        {entries?.map((e) => (
          <li key={e.id} className="flex items-center justify-between py-2 text-sm">
            <div>
              <p>{t(`ledger.kind.${e.kind}` as MessageKey)}</p>
              <p className="text-xs text-neutral-500">{day(ctx, e.at)}</p>
            </div>
            <span className={e.delta >= 0 ? 'font-semibold text-emerald-700' : 'font-semibold text-neutral-700'}>
              {e.delta >= 0 ? '+' : ''}
              {num(ctx, e.delta)}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function InboxSection({ ctx }: { ctx: PageCtx }) {
  const { t } = ctx;
  const [messages, setMessages] = useState<InboxMessage[] | null>(null);
  useEffect(() => {
    void ctx.call((c) => c.GET('/v1/me/inbox', { params: { query: { limit: 50 } } })).then((r) => setMessages(r.data), () => setMessages([]));
  }, [ctx]);
  const read = async (m: InboxMessage) => {
    if (m.readAt) return;
    const updated = await ctx.call((c) => c.POST('/v1/me/inbox/{id}/read', { params: { path: { id: m.id } } }));
    setMessages((list) => list?.map((x) => (x.id === m.id ? updated : x)) ?? null);
    await ctx.reload();
  };
  return (
    <Card>
      <h2 className="mb-2 text-sm font-semibold">
        {t('center.inbox')}
        {ctx.me.unreadMessages > 0 ? <span className="ml-2 text-xs font-normal text-red-600">{t('center.unread', { count: ctx.me.unreadMessages })}</span> : null}
      </h2>
      {messages?.length === 0 ? <p className="text-sm text-neutral-500">{t('center.noMessages')}</p> : null}
      <ul className="divide-y divide-neutral-100" data-testid="inbox">
        {messages?.map((m) => (
          <li key={m.id}>
            <button className="w-full py-2 text-left text-sm" onClick={() => void read(m)}>
              <p className={m.readAt ? '' : 'font-semibold'}>
                {m.readAt ? null : <span className="mr-1 rounded bg-red-500 px-1 text-[10px] text-white">{t('center.new')}</span>}
                {m.title}
              </p>
              <p className="text-xs text-neutral-500">{m.body}</p>
              <p className="text-[11px] text-neutral-400">{day(ctx, m.createdAt)}</p>
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function MinePage({ ctx }: { ctx: PageCtx }) {
  return (
    <>
      <InboxSection ctx={ctx} />
      <CouponsSection ctx={ctx} />
      <HistorySection ctx={ctx} />
    </>
  );
}
