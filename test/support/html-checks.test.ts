import { describe, expect, it } from 'vitest';
import { brokenErrorSummaryLinks, errorSummaryTargets } from './html-checks.ts';

const page = (links: string[], body: string) =>
  `<div class="nhsuk-error-summary"><ul class="nhsuk-list nhsuk-error-summary__list">${links.map((l) => `<li><a href="#${l}">x</a></li>`).join('')}</ul></div>${body}`;

describe('error summary link check', () => {
  it('finds a link whose id is not on the page, and passes one that is', () => {
    expect(brokenErrorSummaryLinks(page(['amount', 'form'], '<input id="amount" name="amount">'))).toEqual(['form']);
    expect(brokenErrorSummaryLinks(page(['amount'], '<input id="amount">'))).toEqual([]);
    expect(errorSummaryTargets(page(['a', 'b'], ''))).toEqual(['a', 'b']);
  });

  it('does not count the summary’s own text as an id, and passes a page without a summary', () => {
    expect(brokenErrorSummaryLinks(page(['x'], '<p>id="x" in text only</p>'))).toEqual(['x']);
    expect(brokenErrorSummaryLinks('<main><h1>Fine</h1></main>')).toEqual([]);
  });
});
