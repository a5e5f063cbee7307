export { emitEvent, emitEvents, EVENT_TYPES } from './emit-event.ts';
export type { EventType, OutboxEventInput } from './emit-event.ts';
