import { consolidateAction } from './consolidate.ts';
import { createTaskAction } from './create-task.ts';
import type { ActionDefinition } from './registry.ts';
import { sendEmailAction } from './send-email.ts';
import { transitionTaskAction } from './transition-task.ts';
import { webhookAction } from './webhook.ts';

/** Every action rules may use. A new action is a new file, listed here. */
export const actionDefinitions: ActionDefinition[] = [consolidateAction, transitionTaskAction, sendEmailAction, createTaskAction, webhookAction];

export const actionsByType = new Map(actionDefinitions.map((a) => [a.type, a]));
