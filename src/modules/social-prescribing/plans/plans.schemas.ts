import { z } from 'zod';
import { blank, isoDate, opt, req, text } from '../social-prescribing.schemas.ts';

/** What matters to the person, goals and the plan. */

export const WhatMattersForm = z.object({ whatMatters: req(text('What matters to them', 4000), 'Enter what matters to the person, in their words') });

export const GoalForm = z.object({ inTheirWords: req(text('Goal', 500), 'Enter the goal in the person’s words') });

export const GoalStatusForm = z.object({ status: z.preprocess(blank, z.enum(['working_on', 'achieved', 'dropped'], { error: 'Select a status' })) });

export const PlanActionForm = z.object({
  action: req(text('Action', 300), 'Enter the action'),
  who: req(text('Who does it', 100), 'Enter who does it'),
  dueOn: opt(isoDate('Due date')),
});
