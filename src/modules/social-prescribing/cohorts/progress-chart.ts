import type { Chart } from '../../../platform/charts.ts';
import { progressStatuses, type WorkerProgress } from './cohorts.service.ts';

/** The words for where a person on the cohort is, in the order the chart stacks them. */
export const progressStatusNames: Record<(typeof progressStatuses)[number], string> = {
  not_called: 'Not called yet',
  no_answer: 'No answer yet',
  no_needs: 'Called: no needs',
  needs_support: 'Called: needs support',
  declined: 'Declined',
};

/** A bar for each link worker (and the people nobody is calling yet), stacked by where their people are. */
export function progressChart(cohortName: string, workers: WorkerProgress[]): Chart {
  const values = workers.flatMap((w) => progressStatuses.map((s, order) => ({ worker: w.name, status: progressStatusNames[s], order, people: w.counts[s] })));
  const description = workers.map((w) => `${w.name}: ${progressStatuses.map((s) => `${progressStatusNames[s].toLowerCase()} ${w.counts[s]}`).join(', ')}`).join('. ');
  return {
    title: `Progress of ${cohortName}, by link worker`,
    description,
    spec: {
      width: 460,
      data: { values },
      height: { step: 40 },
      mark: 'bar',
      encoding: {
        y: { field: 'worker', type: 'nominal', title: null, sort: workers.map((w) => w.name), axis: { labelLimit: 200 } },
        x: { field: 'people', type: 'quantitative', title: 'People', stack: 'zero', axis: { tickMinStep: 1, format: 'd' } },
        color: {
          field: 'status',
          type: 'nominal',
          title: null,
          sort: progressStatuses.map((s) => progressStatusNames[s]),
          scale: { domain: progressStatuses.map((s) => progressStatusNames[s]), range: ['#aeb7bd', '#ffb81c', '#007f3b', '#005eb8', '#330072'] },
          legend: { columns: 2, labelLimit: 240, symbolType: 'square' },
        },
        order: { field: 'order', type: 'quantitative' },
      },
    },
  };
}
