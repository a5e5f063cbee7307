import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { describeError } from './errors';

describe('describeError: an API error in the user language, by its code', () => {
  it('shows a known code in Chinese, never the English detail', () => {
    const e = new ApiError(422, 'insufficient_points', 'Balance 20 is less than 500');
    expect(describeError(e, 'zh-CN')).toEqual({ message: '积分不足。', fields: [] });
    expect(describeError(e, 'en').message).toBe('Not enough points. Balance 20 is less than 500');
  });

  it('names each invalid field by the last part of its path', () => {
    const e = new ApiError(400, 'validation_failed', 'The request did not validate', [{ path: 'body.tiers.2.minGrowth', message: 'Expected number' }]);
    expect(describeError(e, 'zh-CN')).toEqual({
      message: '部分字段填写有误。',
      fields: [{ path: 'body.tiers.2.minGrowth', field: 'minGrowth', text: '填写有误' }],
    });
    expect(describeError(e, 'en').fields[0]).toMatchObject({ field: 'minGrowth', text: 'Expected number' });
  });

  it('falls back by status for a code this build does not know, and to a network note otherwise', () => {
    expect(describeError(new ApiError(503, 'brand_new', 'x'), 'zh-CN').message).toBe('系统出错了，请稍后重试。');
    expect(describeError(new ApiError(422, 'brand_new', 'x'), 'zh-CN').message).toBe('会员规则不允许此操作。');
    expect(describeError(new TypeError('Failed to fetch'), 'zh-CN').message).toBe('无法连接服务器，请检查网络后重试。');
  });
});
