import { describe, expect, it } from 'vitest';
import { pickerOptions } from './picker-options';

describe('pickerOptions', () => {
  const list = [
    { value: 'W5', label: 'Welcome ¥5 · W5' },
    { value: 'FS', label: 'Free shipping · FS' },
  ];
  it('keeps the list in its order when every current value is in it', () => {
    expect(pickerOptions(list, ['FS'], (c) => `${c}?`)).toEqual(list);
  });
  it('keeps a stored code the list no longer holds, marked, once, after the list', () => {
    expect(pickerOptions(list, ['OLD', 'W5', 'OLD', ''], (c) => `${c} (archived)`)).toEqual([...list, { value: 'OLD', label: 'OLD (archived)' }]);
  });
});
