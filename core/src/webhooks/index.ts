export { emitEvent, EVENT_TYPES } from './emit-event.ts';
export type { EventType } from './emit-event.ts';
