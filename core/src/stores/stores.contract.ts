import { z, code, str } from '../shared/zod.ts';

export const storeChannel = z.enum(['online', 'store', 'delivery', 'miniprogram']);
export const createStoreBody = z.object({ code: code(), name: str(100), channel: storeChannel }).strict().openapi('CreateStore');
export type CreateStoreInput = z.infer<typeof createStoreBody>;
export const storeSchema = z
  .object({ id: z.string(), code: z.string(), name: z.string(), channel: storeChannel, createdAt: z.string() })
  .openapi('Store');
export type StoreDto = z.infer<typeof storeSchema>;
