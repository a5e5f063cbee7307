export * from './quotes.contract.ts';
export { priceCart, zhe } from './price-cart.ts';
export type { PricingInput, Quote, QuoteLine, QuoteCoupon, CartItem, PricingBenefits } from './price-cart.ts';
export { quoteCart } from './quote-cart.ts';
export { loadPricingConfig, invalidatePricingConfig, setConfigListenerActive } from './pricing-config.ts';
export type { PricingConfig } from './pricing-config.ts';
