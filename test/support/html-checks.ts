/**
 * The NHS error summary's links that point nowhere: each `#id` in the summary's list with no
 * element of that id on the page. A summary link that lands nowhere leaves a keyboard or screen
 * reader user unable to reach what is wrong.
 */
export function brokenErrorSummaryLinks(html: string): string[] {
  const list = /<ul class="nhsuk-list nhsuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html);
  if (!list) return [];
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  return [...list[1].matchAll(/href="#([^"]*)"/g)].map((m) => decodeURIComponent(m[1])).filter((id) => !ids.has(id));
}

/** The hrefs in the error summary, for tests that check where each one leads. */
export function errorSummaryTargets(html: string): string[] {
  const list = /<ul class="nhsuk-list nhsuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html);
  return list ? [...list[1].matchAll(/href="#([^"]*)"/g)].map((m) => m[1]) : [];
}
