export { createStore, listStores, resolveStoreId, toStoreDto } from './stores.ts';
export * from './stores.contract.ts';
