import { z, code, str } from '../shared/zod.ts';

export const storeChannel = z.enum(['online', 'store', 'delivery', 'miniprogram']);
export const createStoreBody = z
  .object({
    code: code().describe('Stable store code, unique in the tenant (e.g. `mini-program`): usable as `code:<code>` wherever a storeId is'),
    name: str(100).describe('Store name, e.g. 旗舰店'),
    channel: storeChannel.describe('`online` mall, physical `store`, `delivery` app or `miniprogram`'),
  })
  .strict()
  .describe('A new store')
  .openapi('CreateStore');
export type CreateStoreInput = z.infer<typeof createStoreBody>;
export const storeSchema = z
  .object({
    id: z.string().describe('Store id `sto_…`'),
    code: z.string().describe('Store code (`code:<code>` names the store wherever a storeId is accepted)'),
    name: z.string().describe('Store name'),
    channel: storeChannel.describe('Sales channel'),
    createdAt: z.string().describe('Creation time (RFC 3339)'),
  })
  .describe('A store of the tenant')
  .openapi('Store');
export type StoreDto = z.infer<typeof storeSchema>;
