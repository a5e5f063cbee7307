import {
  applicationBody,
  applicationParams,
  applicationSchema,
  applyToCampaign,
  approveApplication,
  campaignBody,
  campaignParams,
  campaignSchema,
  createCampaign,
  listApplications,
  listCampaigns,
} from '@unionpoint/core/campaigns';
import { z } from '@unionpoint/core';
import { Access, type Routes } from '../http/route.ts';
import { storeQuery } from './members.ts';

export function campaignRoutes(routes: Routes): void {
  routes.add({
    method: 'get',
    path: '/v1/campaigns',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Campaigns'],
    summary: 'Member campaigns (early access and applications), newest start first',
    responses: { 200: z.object({ data: z.array(campaignSchema).describe('Campaigns') }) },
    handler: async ({ ctx, tx }) => ({ status: 200, body: await tx((t) => listCampaigns(t, ctx)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/campaigns',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Campaigns'],
    summary: 'Add a campaign: early access to SKUs with per-tier start times and a per-member limit, or applications with seats (audited)',
    body: campaignBody,
    responses: { 201: campaignSchema },
    handler: async ({ ctx, tx, body }) => ({ status: 201, body: await tx((t) => createCampaign(t, ctx, body)) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/:code/applications',
    replica: true,
    scope: 'tenant',
    access: Access.admin,
    tags: ['Campaigns'],
    summary: 'The applications to a campaign, oldest first',
    params: campaignParams,
    responses: { 200: z.object({ data: z.array(applicationSchema).describe('Applications') }) },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => listApplications(t, ctx, params.code)) }),
  });
  routes.add({
    method: 'post',
    path: '/v1/campaigns/:code/applications',
    scope: 'tenant',
    access: Access.till,
    tags: ['Campaigns'],
    summary: "A member applies (idempotent by reference): 422 not_open before the campaign opens to the member's tier, 422 full when every seat is taken",
    params: campaignParams,
    query: storeQuery,
    body: applicationBody,
    responses: { 201: applicationSchema },
    handler: async ({ ctx, tx, params, query, body }) => ({
      status: 201,
      body: await tx((t) => applyToCampaign(t, ctx, params.code, { ...body, storeId: query.storeId })),
    }),
  });
  routes.add({
    method: 'post',
    path: '/v1/campaigns/:code/applications/:id/approve',
    scope: 'tenant',
    access: Access.admin,
    tags: ['Campaigns'],
    summary: 'Approve an application (the storefront hears campaign.application_approved; audited)',
    params: applicationParams,
    responses: { 200: applicationSchema },
    handler: async ({ ctx, tx, params }) => ({ status: 200, body: await tx((t) => approveApplication(t, ctx, params.code, params.id)) }),
  });
}
