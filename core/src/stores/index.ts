export { createStore, createFirstStores, listStores, resolveStoreId, requestedStoreId, toStoreDto } from './stores.ts';
export * from './stores.contract.ts';
