import { describe, expect, it } from 'vitest';
import { roleCan, type Ability } from './can';

describe('roleCan', () => {
  const table: Record<string, Record<Ability, boolean>> = {
    owner: { read: true, staffWrite: true, write: true, users: true },
    admin: { read: true, staffWrite: true, write: true, users: false },
    staff: { read: true, staffWrite: true, write: false, users: false },
    viewer: { read: true, staffWrite: false, write: false, users: false },
  };
  for (const [role, abilities] of Object.entries(table)) {
    for (const [ability, allowed] of Object.entries(abilities)) {
      it(`${role} ${allowed ? 'may' : 'may not'} ${ability}`, () => expect(roleCan(role, ability as Ability)).toBe(allowed));
    }
  }
  it('an unknown role or no session may do nothing', () => {
    expect(roleCan('platform_admin', 'write')).toBe(false);
    expect(roleCan(null, 'read')).toBe(false);
    expect(roleCan(undefined, 'staffWrite')).toBe(false);
  });
});
