import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams, page, Timestamp } from '../http/schemas.ts';
import { toRuleDto } from './rule-store.ts';
import { createRule, deleteRule, type SavedRule, disableRule, duplicateRule, enableRule, getRule, listRules, ruleHistory, updateRule } from './rules.ts';
import { listRuns } from './runs.ts';
import { listOccurrences, upcomingOccurrences } from './schedule/list-occurrences.ts';
import { runRuleNow } from './schedule/manual.ts';
import {
  CreateRuleBody,
  ListOccurrencesQuery,
  ManualRunSchema,
  RunNowBody,
  ListRunsQuery,
  OccurrenceSchema,
  RuleHistorySchema,
  RuleSchema,
  RunSchema,
  UpdateRuleBody,
} from './schemas.ts';

const tags = ['automations'];
/** Generated secrets appear in the response that created them, never again. */
const savedDto = ({ rule, secrets }: SavedRule) => ({ ...toRuleDto(rule), ...(Object.keys(secrets).length ? { secrets } : {}) });
const one = { params: IdParams, response: { 200: RuleSchema, ...errors } };

export const automationRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/automations',
      {
        schema: { tags, summary: 'List automation rules (admin)', response: { 200: z.object({ items: z.array(RuleSchema) }), ...errors } },
      },
      async (req) => ({ items: (await listRules(deps, principalOf(req))).map(toRuleDto) }),
    );

    app.post(
      '/automations',
      {
        schema: { tags, summary: 'Create a rule: trigger → conditions → actions (admin)', body: CreateRuleBody, response: { 201: RuleSchema, ...errors } },
      },
      async (req, reply) => reply.status(201).send(savedDto(await createRule(deps, principalOf(req), req.body))),
    );

    app.get('/automations/:id', { schema: { tags, summary: 'Get a rule', ...one } }, async (req) =>
      toRuleDto(await getRule(deps, principalOf(req), req.params.id)),
    );

    app.patch(
      '/automations/:id',
      {
        schema: { tags, summary: 'Edit a rule', params: IdParams, body: UpdateRuleBody, response: { 200: RuleSchema, ...errors } },
      },
      async (req) => savedDto(await updateRule(deps, principalOf(req), req.params.id, req.body)),
    );

    app.delete(
      '/automations/:id',
      {
        schema: { tags, summary: 'Delete a rule (its history is kept)', params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (req, reply) => {
        await deleteRule(deps, principalOf(req), req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post('/automations/:id/enable', { schema: { tags, summary: 'Enable a rule', ...one } }, async (req) =>
      toRuleDto(await enableRule(deps, principalOf(req), req.params.id)),
    );

    app.post('/automations/:id/disable', { schema: { tags, summary: 'Disable a rule', ...one } }, async (req) =>
      toRuleDto(await disableRule(deps, principalOf(req), req.params.id)),
    );

    app.post(
      '/automations/:id/duplicate',
      {
        schema: { tags, summary: 'Copy a rule (the copy starts disabled)', params: IdParams, response: { 201: RuleSchema, ...errors } },
      },
      async (req, reply) => reply.status(201).send(savedDto(await duplicateRule(deps, principalOf(req), req.params.id))),
    );

    app.get(
      '/automations/:id/history',
      {
        schema: {
          tags,
          summary: 'Every change of the rule: who, when, before, after',
          params: IdParams,
          response: { 200: z.object({ items: z.array(RuleHistorySchema) }), ...errors },
        },
      },
      async (req) => ({ items: await ruleHistory(deps, principalOf(req), req.params.id) }),
    );

    app.get(
      '/automations/:id/occurrences',
      {
        schema: {
          tags,
          summary: "A scheduled rule's occurrences, newest first (per-task outcomes are in the run log)",
          params: IdParams,
          querystring: ListOccurrencesQuery,
          response: { 200: page(OccurrenceSchema), ...errors },
        },
      },
      async (req) => listOccurrences(deps, principalOf(req), req.params.id, req.query),
    );

    app.get(
      '/automations/:id/upcoming',
      {
        schema: {
          tags,
          summary: "A scheduled rule's next occurrences (instants; timeZone says how the organization reads them)",
          params: IdParams,
          querystring: z.strictObject({ count: z.coerce.number().int().min(1).max(24).default(3) }),
          response: { 200: z.object({ timeZone: z.string(), items: z.array(Timestamp) }), ...errors },
        },
      },
      async (req) => upcomingOccurrences(deps, principalOf(req), req.params.id, req.query.count),
    );

    app.post(
      '/automations/:id/run',
      {
        schema: {
          tags,
          summary: "Run a scheduled rule's current occurrence now, as `chantier run-schedule` does (admin)",
          params: IdParams,
          body: RunNowBody.nullish(),
          response: { 200: ManualRunSchema, ...errors },
        },
      },
      async (req) => {
        const run = await runRuleNow(deps, principalOf(req), req.params.id, req.body ?? {});
        const { ruleId: _r, ruleName: _n, orgId: _o, manual: _m, ...report } = run.report;
        return { ...report, timeZone: run.timeZone, enabled: run.enabled, early: run.early };
      },
    );

    app.get(
      '/automation-runs',
      {
        schema: { tags, summary: 'Log of rule firings, newest first', querystring: ListRunsQuery, response: { 200: page(RunSchema), ...errors } },
      },
      async (req) => listRuns(deps, principalOf(req), req.query),
    );
  };
