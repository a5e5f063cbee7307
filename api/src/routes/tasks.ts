import {
  archiveTask,
  createTask,
  listReferrals,
  listTasks,
  listTasksQuery,
  memberTasksOf,
  memberTasksSchema,
  referralsSchema,
  taskBody,
  taskParams,
  taskPatchBody,
  taskSchema,
  updateProfile,
  updateTask,
} from '@unionpoint/core/tasks';
import { memberSchema, profilePatchBody } from '@unionpoint/core/members';
import { z, rfc3339 } from '@unionpoint/core';
import { Access, type Routes } from '../http/route.ts';
import { memberParams, storeQuery } from './members.ts';

export function taskRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/tasks',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tasks'],
    summary: 'The task center: the built-in first-order and profile tasks, then the tenant tasks by code (archived ones only with ?includeArchived=true)',
    query: listTasksQuery,
    responses: { 200: z.object({ data: z.array(taskSchema).describe('Tasks') }) },
    handler: async ({ ctx, tx, query }) => ({ status: 200, body: await tx((t) => listTasks(t, ctx, query)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/tasks',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tasks'],
    summary: 'Add a task: a trigger counted up to a target per window (tenant time zone), rewarded once per window (audited)',
    body: taskBody,
    responses: { 201: taskSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createTask(t, ctx, body)) }),
  });
  routes.add({
    method: 'patch',
    path: '/v1/tasks/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tasks'],
    summary: 'Change a task (partial; audited). A built-in task takes reward.points (and, first order, trigger.minAmountCents): its program settings',
    params: taskParams,
    body: taskPatchBody,
    responses: { 200: taskSchema },
    handler: async ({ ctx, tx, params, body }) => ({ status: 200, body: await tx((t) => updateTask(t, ctx, params.code, body)) }),
  });
  routes.add({
    method: 'delete',
    path: '/v1/tasks/:code',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Tasks'],
    summary: 'Archive a task: no longer counted; rewards already given stay (audited). A built-in is switched off with 0 points instead (422)',
    params: taskParams,
    responses: { 200: taskSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => archiveTask(t, ctx, params.code)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/members/:member/tasks',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Tasks'],
    summary: "The member's tasks with the progress of their current window",
    params: memberParams,
    query: storeQuery.extend({ at: rfc3339().optional().describe('The time whose windows to show (default now)') }),
    responses: { 200: memberTasksSchema },
    handler: async ({ ctx, tx, params, query }) => ({
      status: 200,
      body: await tx((t) => memberTasksOf(t, ctx, { ref: params.member, storeId: query.storeId }, query.at ? new Date(query.at) : new Date())),
    }),
  });
  routes.add({
    method: 'patch',
    path: '/v1/members/:member/profile',
    scope: 'tenant',
    access: Access.till,
    roles: 'staff',
    tags: ['Tasks'],
    summary: 'Change the member profile; completes the profile task once the required fields (tasks.profileRequiredFields) are present',
    params: memberParams,
    query: storeQuery,
    body: profilePatchBody,
    responses: { 200: memberSchema },
    handler: async ({ ctx, tx, params, query, body }) => ({ status: 200, body: await tx((t) => updateProfile(t, ctx, { ref: params.member, storeId: query.storeId }, body)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/members/:member/referrals',
    replica: true,
    scope: 'tenant',
    access: Access.till,
    tags: ['Tasks'],
    summary: 'The members this member invited: pending, completed (first qualifying order) or revoked (that order fully refunded)',
    params: memberParams,
    query: storeQuery,
    responses: { 200: referralsSchema },
    handler: async ({ ctx, tx, params, query }) => ({ status: 200, body: await tx((t) => listReferrals(t, ctx, { ref: params.member, storeId: query.storeId })) }),
  });
}
