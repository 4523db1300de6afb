import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../deps.ts';
import { principalOf } from '../http/auth.ts';
import { errors, IdParams } from '../http/schemas.ts';
import { typedOkSerializer } from '../http/typed-answer.ts';
import { TaskSchema, TransitionBody } from '../tasks/schemas.ts';
import { transitionTask } from './transition.ts';

const tags = ['tasks'];

export const transitionRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/tasks/:id/transitions',
      {
        schema: {
          tags,
          summary: 'Move a task to another status its workflow allows (409 transition_not_allowed otherwise)',
          params: IdParams,
          body: TransitionBody,
          response: { 200: TaskSchema, ...errors },
        },
        // The answer is toTaskDto's (typed TaskDto): not checked against TaskSchema again.
        serializerCompiler: typedOkSerializer,
      },
      async (req) => transitionTask(deps, principalOf(req), req.params.id, req.body),
    );
  };
