import { z } from '@unionpoint/core';
import {
  checkIn,
  checkInResult,
  recordActivity,
  recordActivityBody,
  recordActivityResult,
  revokeActivity,
  revokeActivityResult,
} from '@unionpoint/core/activities';
import { Access, type Routes } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function activityRoutes(routes: Routes): void {
  routes.add({
    method: 'post',
    path: '/v1/members/:member/activities',
    scope: 'tenant',
    access: Access.till,
    tags: ['Activities'],
    summary: 'Record an activity (login, review, photo_review, share, profile_completed); idempotent by reference',
    params: memberParams,
    query: storeQuery,
    body: recordActivityBody,
    responses: { 201: recordActivityResult, 200: recordActivityResult },
    handler: async ({ ctx, tx, params, query, body }) =>
      tx((t) => recordActivity(t, ctx, { ref: params.member, storeId: query.storeId }, body)),
  });
  routes.add({
    method: 'delete',
    path: '/v1/members/:member/activities/:reference',
    scope: 'tenant',
    access: Access.till,
    tags: ['Activities'],
    summary: 'Delete an activity (e.g. a removed review): its growth is clawed back',
    params: memberParams.extend({ reference: z.string().min(1).max(255).describe('The reference the activity was recorded with') }),
    query: storeQuery,
    responses: { 200: revokeActivityResult },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: await tx((t) => revokeActivity(t, ctx, { ref: params.member, storeId: query.storeId }, params.reference)),
    }),
  });
  routes.add({
    method: 'post',
    path: '/v1/members/:member/check-ins',
    errors: ['already_checked_in'],
    scope: 'tenant',
    access: Access.till,
    tags: ['Activities'],
    summary: 'Daily check-in with streak rewards; a second one on the same local day → 422 already_checked_in',
    params: memberParams,
    query: storeQuery,
    responses: { 201: checkInResult },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 201,
      body: await tx((t) => checkIn(t, ctx, { ref: params.member, storeId: query.storeId })),
    }),
  });
}
