import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { Refusal } from '../refusal.ts';

/**
 * An HTTP-level answer the platform gives (401 with how to authenticate, a problem with errors
 * already in problem+json form). Services throw a Refusal (src/platform/refusal.ts) instead.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: { name: string; reason: string }[],
  ) {
    super(detail ?? title);
  }
}


export function wantsProblemJson(request: FastifyRequest): boolean {
  const url = request.url;
  return url.startsWith('/api/') || url.startsWith('/oruk') || (request.headers.accept ?? '').startsWith('application/json');
}

type Problem = { status: number; title: string; detail?: string; errors?: { name: string; reason: string }[] };

function toProblem(error: FastifyError | HttpProblem | Refusal): Problem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof Refusal) {
    if (error.kind === 'not_found') return { status: 404, title: error.title ?? error.message };
    if (error.kind === 'gone') return { status: 410, title: error.title ?? error.message, detail: error.message === error.title ? undefined : error.message };
    return {
      status: error.status,
      title: error.title ?? error.message,
      detail: error.message,
      ...(error.kind === 'invalid' || error.kind === 'conflict' || error.field !== 'form' ? { errors: error.fields.map((e) => ({ name: e.field, reason: e.message })) } : {}),
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    // A malformed id in the path names no record: the page is not there.
    if (error.validationContext === 'params') return { status: 404, title: 'Not found' };
    return {
      status: 400,
      title: 'Your request has problems',
      detail: 'Some parameters are missing or not valid.',
      errors: error.validation.map((v) => ({
        name: `${error.validationContext ?? 'request'}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}`,
        reason: v.message ?? 'is not valid',
      })),
    };
  }
  // A broken or truncated multipart body: the parser's error carries no status of its own.
  if (/[\\/]@fastify[\\/]busboy[\\/]/.test(error.stack ?? '')) {
    return { status: 400, title: 'The form could not be read', detail: 'What was sent was broken or incomplete. Go back and send the form again.' };
  }
  const code = (error as FastifyError).code;
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET') {
    return { status: 403, title: 'This form has expired', detail: 'For your security, forms expire. Go back, reload the page and try again.' };
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE' || error.statusCode === 413) {
    return { status: 413, title: 'What you sent is too large', detail: 'Send a smaller file or less text.' };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, title: 'Unsupported content type', detail: error.message };
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return { status: 400, title: 'The request body is not valid JSON', detail: error.message };
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 429) return { status, title: 'Too many requests', detail: error.message };
  return status === 500
    ? { status, title: 'Sorry, there is a problem with the service', detail: 'Try again later.' }
    : { status, title: error.message || 'Bad request' };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  reply.status(problem.status);
  if (wantsProblemJson(request)) {
    return reply.type('application/problem+json').send({
      type: problem.status === 400 || problem.status === 422 ? 'https://common-ground.invalid/problems/validation' : 'about:blank',
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      instance: request.url.split('?')[0],
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
  }
  return reply.page('error.njk', { problem });
}

export async function handleError(this: unknown, error: FastifyError | Refusal, request: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(error);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  return sendProblem(request, reply, problem);
}

export async function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(request, reply, { status: 404, title: wantsProblemJson(request) ? 'Not found' : 'Page not found' });
}
