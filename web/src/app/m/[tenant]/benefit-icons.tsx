// The member center's benefit icons: one small inline SVG set (24 × 24, stroked in the current
// colour), no icon font and no request. A tile names its icon; a catalogue benefit uses the
// icon the merchant chose when it is one of these, else the icon of its kind.
import type { ReactNode } from 'react';

const PATHS = {
  tag: (
    <>
      <path d="M3 12V4a1 1 0 0 1 1-1h8l9 9-9 9z" />
      <circle cx="7.5" cy="7.5" r="1.5" />
    </>
  ),
  star: <path d="M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1L3.2 9.5l6.1-.9z" />,
  truck: (
    <>
      <path d="M2 6h12v10H2z" />
      <path d="M14 10h4l3 3v3h-7" />
      <circle cx="6.5" cy="18" r="2" />
      <circle cx="17.5" cy="18" r="2" />
    </>
  ),
  calendar: (
    <>
      <rect x="3" y="5" width="18" height="16" rx="2" />
      <path d="M3 10h18M8 3v4M16 3v4" />
      <path d="M12 13.5l.9 1.8 2 .3-1.45 1.4.35 2-1.8-.95-1.8.95.35-2L9.1 15.6l2-.3z" />
    </>
  ),
  headset: (
    <>
      <path d="M4 15v-3a8 8 0 0 1 16 0v3" />
      <rect x="3" y="14" width="4" height="6" rx="1.5" />
      <rect x="17" y="14" width="4" height="6" rx="1.5" />
      <path d="M19 20a4 4 0 0 1-4 2h-2" />
    </>
  ),
  rocket: (
    <>
      <path d="M12 2c3 2.2 4.8 5.9 4.8 9.8L15 16H9l-1.8-4.2C7.2 7.9 9 4.2 12 2z" />
      <circle cx="12" cy="9.5" r="1.8" />
      <path d="M9 16l-2.5 3.5M15 16l2.5 3.5M12 16v5" />
    </>
  ),
  refund: (
    <>
      <path d="M9 14L4 9l5-5" />
      <path d="M4 9h11a5 5 0 0 1 0 10h-4" />
    </>
  ),
  cake: (
    <>
      <path d="M4 21h16v-8a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1z" />
      <path d="M4 16.5c2.7 1.6 5.3-1.6 8 0s5.3 1.6 8 0" />
      <path d="M12 12V8.5" />
      <path d="M12 4.5c.9.9.9 2.1 0 3-.9-.9-.9-2.1 0-3z" />
    </>
  ),
  gift: (
    <>
      <rect x="3" y="8" width="18" height="4" rx="1" />
      <path d="M5 12v9h14v-9M12 8v13" />
      <path d="M12 8C10.5 4 6.5 3.5 6.5 6S12 8 12 8zM12 8c1.5-4 5.5-4.5 5.5-2S12 8 12 8z" />
    </>
  ),
  crown: (
    <>
      <path d="M3 8l4.5 4L12 5l4.5 7L21 8l-2 11H5z" />
      <path d="M5 19h14" />
    </>
  ),
  leaf: (
    <>
      <path d="M5 20c-.5-9.5 5.5-15 15-15 .3 9.5-5.5 15.4-15 15z" />
      <path d="M5 20l8.5-8.5" />
    </>
  ),
  ticket: (
    <>
      <path d="M3 7h18v3a2 2 0 0 0 0 4v3H3v-3a2 2 0 0 0 0-4z" />
      <path d="M14.5 7v2M14.5 11v2M14.5 15v2" />
    </>
  ),
  key: (
    <>
      <circle cx="8" cy="15" r="4" />
      <path d="M11 12l9-9M16.5 6.5l3 3M14 9l2 2" />
    </>
  ),
  sparkle: <path d="M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8zM19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z" />,
} satisfies Record<string, ReactNode>;

export type BenefitIconName = keyof typeof PATHS;

/** The icon of a member-center tile (the pricing and service benefits of the tier and plan). */
export const TILE_ICONS: Record<string, BenefitIconName> = {
  discount: 'tag',
  points: 'star',
  shipping: 'truck',
  memberDay: 'calendar',
  support: 'headset',
  delivery: 'rocket',
  refund: 'refund',
  birthday: 'cake',
  upgrade: 'gift',
  exclusive: 'crown',
};

/** Merchant icon names the set answers to (the dashboard's free text), besides its own names. */
const ALIASES: Record<string, BenefitIconName> = {
  coupon: 'ticket',
  shipping: 'truck',
  delivery: 'rocket',
  support: 'headset',
  service: 'headset',
  vip: 'crown',
  exclusive: 'crown',
  birthday: 'cake',
  points: 'star',
  discount: 'tag',
  access: 'key',
  fresh: 'leaf',
};

const KIND_ICONS: Record<string, BenefitIconName> = { coupon_pack: 'ticket', service: 'headset', gift: 'gift', access: 'key' };

/** The icon of a catalogue benefit: the merchant's choice when the set has it, else its kind's. */
export function entitlementIcon(icon: string | null | undefined, kind: string): BenefitIconName {
  const name = (icon ?? '').trim().toLowerCase();
  if (name in PATHS) return name as BenefitIconName;
  return ALIASES[name] ?? KIND_ICONS[kind] ?? 'sparkle';
}

export function BenefitIcon({ name, className = 'h-6 w-6' }: { name: BenefitIconName; className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.7} strokeLinecap="round" strokeLinejoin="round" className={className} aria-hidden data-icon={name}>
      {PATHS[name]}
    </svg>
  );
}
