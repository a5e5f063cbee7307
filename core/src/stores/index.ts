export { createStore, createFirstStores, listStores, resolveStoreId, requestedStoreId, toStoreDto, unknownStore, storeIdForCode, isStoreCodeRef } from './stores.ts';
export * from './stores.contract.ts';
export { STORE_ID_FIELD, STORE_ID_DESCRIPTION, STORE_CODE_PREFIX } from '../shared/zod.ts';
