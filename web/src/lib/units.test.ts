import { describe, expect, it } from 'vitest';
import {
  currencySymbol,
  discountInput,
  formatDiscount,
  formatMoney,
  formatMultiplier,
  formatPercent,
  formatPercentOff,
  moneyInput,
  multiplierInput,
  parseCount,
  parseDiscount,
  parseMoney,
  parseMultiplier,
  parsePercent,
  parsePercentOff,
  parseScaled,
  percentOffInput,
  scaledToString,
} from './units';

describe('money', () => {
  it('shows integer cents in the currency, with grouping', () => {
    expect(formatMoney(128800, 'CNY', 'zh-CN')).toBe('¥1,288.00');
    expect(formatMoney(2000, 'CNY', 'en')).toBe('¥20.00');
    expect(currencySymbol('CNY', 'en')).toBe('¥');
    expect(currencySymbol('USD', 'zh-CN')).toBe('$');
    expect(formatMoney(-5, 'CNY', 'zh-CN')).toBe('-¥0.05');
  });
  it('takes yuan and gives exact integer cents (no float error)', () => {
    expect(parseMoney('19.99')).toEqual({ ok: true, value: 1999 });
    // 0.1 + 0.2 style traps: 1.15 * 100 is 114.99999999999999 in floats.
    expect(parseMoney('1.15')).toEqual({ ok: true, value: 115 });
    expect(parseMoney('4.35')).toEqual({ ok: true, value: 435 });
    expect(parseMoney('¥1,288.5')).toEqual({ ok: true, value: 128850 });
    expect(parseMoney('20')).toEqual({ ok: true, value: 2000 });
    expect(parseMoney('.5')).toEqual({ ok: true, value: 50 });
    expect(parseMoney('20元')).toEqual({ ok: true, value: 2000 });
  });
  it('refuses what is not an amount, too precise or out of range', () => {
    expect(parseMoney('')).toEqual({ ok: false, error: 'required' });
    expect(parseMoney('abc')).toEqual({ ok: false, error: 'invalid' });
    expect(parseMoney('-1')).toEqual({ ok: false, error: 'invalid' });
    expect(parseMoney('1e3')).toEqual({ ok: false, error: 'invalid' });
    expect(parseMoney('1.234')).toEqual({ ok: false, error: 'tooPrecise' });
    expect(parseMoney('21474836.47')).toEqual({ ok: true, value: 2_147_483_647 });
    expect(parseMoney('21474836.48')).toEqual({ ok: false, error: 'outOfRange' });
    expect(parseMoney('99999999999999')).toEqual({ ok: false, error: 'outOfRange' });
    expect(parseMoney('5', { min: 1000 })).toEqual({ ok: false, error: 'outOfRange' });
  });
  it('fills an input with the amount, not the cents', () => {
    expect(moneyInput(2000)).toBe('20');
    expect(moneyInput(1999)).toBe('19.99');
    expect(moneyInput(1950)).toBe('19.5');
    expect(moneyInput(5)).toBe('0.05');
    expect(moneyInput(null)).toBe('');
    for (const c of [0, 1, 99, 100, 101, 123456, 2_147_483_647]) expect(parseMoney(moneyInput(c))).toEqual({ ok: true, value: c });
  });
});

describe('tier discounts (price paid)', () => {
  it('reads 95折 in zh-CN and 5% off in en', () => {
    expect(formatDiscount(9500, 'zh-CN')).toBe('95折');
    expect(formatDiscount(9500, 'en')).toBe('5% off');
    expect(formatDiscount(9000, 'zh-CN')).toBe('9折');
    expect(formatDiscount(9000, 'en')).toBe('10% off');
    expect(formatDiscount(8850, 'zh-CN')).toBe('88.5折');
    expect(formatDiscount(8850, 'en')).toBe('11.5% off');
    expect(formatDiscount(500, 'zh-CN')).toBe('0.5折');
    expect(formatDiscount(10000, 'en')).toBeNull();
  });
  it('takes % off in en and 折 in zh-CN (95, 9.5 and 9.5折 alike)', () => {
    expect(parseDiscount('5', 'en')).toEqual({ ok: true, value: 9500 });
    expect(parseDiscount('12.5%', 'en')).toEqual({ ok: true, value: 8750 });
    expect(parseDiscount('0', 'en')).toEqual({ ok: true, value: 10000 });
    expect(parseDiscount('101', 'en')).toEqual({ ok: false, error: 'outOfRange' });
    expect(parseDiscount('95', 'zh-CN')).toEqual({ ok: true, value: 9500 });
    expect(parseDiscount('9.5', 'zh-CN')).toEqual({ ok: true, value: 9500 });
    expect(parseDiscount('95折', 'zh-CN')).toEqual({ ok: true, value: 9500 });
    expect(parseDiscount('9', 'zh-CN')).toEqual({ ok: true, value: 9000 });
    expect(parseDiscount('88.5', 'zh-CN')).toEqual({ ok: true, value: 8850 });
    expect(parseDiscount('10', 'zh-CN')).toEqual({ ok: true, value: 10000 });
    expect(parseDiscount('100', 'zh-CN')).toEqual({ ok: true, value: 10000 });
    expect(parseDiscount('101', 'zh-CN')).toEqual({ ok: false, error: 'outOfRange' });
    expect(parseDiscount('0', 'zh-CN')).toEqual({ ok: false, error: 'outOfRange' });
    expect(parseDiscount('折', 'zh-CN')).toEqual({ ok: false, error: 'required' });
  });
  it('round-trips through the input in both languages', () => {
    for (const bps of [100, 500, 8000, 8850, 9000, 9500, 9999, 10000]) {
      expect(parseDiscount(discountInput(bps, 'en'), 'en')).toEqual({ ok: true, value: bps });
      expect(parseDiscount(discountInput(bps, 'zh-CN'), 'zh-CN')).toEqual({ ok: true, value: bps });
    }
    expect(discountInput(9500, 'zh-CN')).toBe('95');
    expect(discountInput(9500, 'en')).toBe('5');
  });
});

describe('coupon discounts (amount off)', () => {
  it('shows percentBps as what is taken off', () => {
    expect(formatPercentOff(1000, 'en')).toBe('10% off');
    expect(formatPercentOff(1000, 'zh-CN')).toBe('9折');
    expect(formatPercentOff(1500, 'zh-CN')).toBe('85折');
  });
  it('takes the same units as a tier discount', () => {
    expect(parsePercentOff('10', 'en')).toEqual({ ok: true, value: 1000 });
    expect(parsePercentOff('85', 'zh-CN')).toEqual({ ok: true, value: 1500 });
    expect(parsePercentOff('0', 'en')).toEqual({ ok: false, error: 'outOfRange' });
    expect(percentOffInput(1500, 'zh-CN')).toBe('85');
    expect(percentOffInput(1500, 'en')).toBe('15');
  });
});

describe('multipliers, shares and counts', () => {
  it('shows ×1.2 and takes 1.2', () => {
    expect(formatMultiplier(12000)).toBe('×1.2');
    expect(formatMultiplier(10000)).toBe('×1');
    expect(formatMultiplier(15500)).toBe('×1.55');
    expect(multiplierInput(12000)).toBe('1.2');
    expect(parseMultiplier('1.2')).toEqual({ ok: true, value: 12000 });
    expect(parseMultiplier('×1.3')).toEqual({ ok: true, value: 13000 });
    expect(parseMultiplier('2x')).toEqual({ ok: true, value: 20000 });
    expect(parseMultiplier('1.00001')).toEqual({ ok: false, error: 'tooPrecise' });
    expect(parseMultiplier('11')).toEqual({ ok: false, error: 'outOfRange' });
  });
  it('shows a share as a percentage and takes one', () => {
    expect(formatPercent(5000, 'en')).toBe('50%');
    expect(formatPercent(1250, 'zh-CN')).toBe('12.5%');
    expect(parsePercent('50')).toEqual({ ok: true, value: 5000 });
    expect(parsePercent('12.5%')).toEqual({ ok: true, value: 1250 });
    expect(parsePercent('100.01')).toEqual({ ok: false, error: 'outOfRange' });
  });
  it('takes whole numbers within bounds', () => {
    expect(parseCount('1,000')).toEqual({ ok: true, value: 1000 });
    expect(parseCount('1.5')).toEqual({ ok: false, error: 'invalid' });
    expect(parseCount('91', { max: 90 })).toEqual({ ok: false, error: 'outOfRange' });
    expect(parseCount('2147483648')).toEqual({ ok: false, error: 'outOfRange' });
  });
  it('scales decimal strings exactly', () => {
    expect(parseScaled('0.07', 2)).toEqual({ ok: true, value: 7 });
    expect(parseScaled('1.10', 1)).toEqual({ ok: true, value: 11 });
    expect(scaledToString(7, 2)).toBe('0.07');
    expect(scaledToString(-150, 2)).toBe('-1.5');
  });
});
