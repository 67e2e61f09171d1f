import { ADMIN_ENDPOINTS } from '../admin-endpoints';

const mediaTypes: Readonly<Record<string, string>> = {
  json: 'application/json',
  xml: 'application/xml',
  htm: 'text/html',
  txt: 'text/plain',
};

const mediaTypeOf = (path: string): string =>
  mediaTypes[/\.(\w+)$/.exec(path)?.[1] ?? 'htm'] ?? 'application/json';

/** The admin interface as an OpenAPI 3.1 document, built from {@link ADMIN_ENDPOINTS}. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of ADMIN_ENDPOINTS) {
    const pathParameters = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const json = endpoint.group === 'management';
    paths[endpoint.path] = {
      ...paths[endpoint.path],
      [endpoint.method.toLowerCase()]: {
        summary: endpoint.summary,
        tags: [endpoint.group],
        parameters: [
          ...pathParameters,
          { $ref: '#/components/parameters/auth' },
          ...endpoint.parameters.map((parameter) => ({
            name: parameter.name,
            in: 'query',
            required: parameter.required,
            description: parameter.description,
            schema: { type: 'string' },
          })),
        ],
        ...(json && endpoint.method !== 'GET' && endpoint.method !== 'DELETE'
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            }
          : {}),
        responses: {
          [endpoint.method === 'POST' ? '201' : '200']: {
            description: 'done',
            content: { [json ? 'application/json' : mediaTypeOf(endpoint.path)]: {} },
          },
          '400': {
            description: 'a query parameter or body field is missing or malformed (the message names it)',
          },
          '403': {
            description: 'the client is not in the whitelist, or a= is missing or wrong (no detail given)',
          },
          '404': { description: 'the site, user, chat … named does not exist' },
          ...(endpoint.changes
            ? { '409': { description: 'in use (open chats) or already exists; nothing was changed' } }
            : {}),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard admin interface',
      version: '1',
      description:
        'The WhosOn-style HTTP interface on port 8899 (see docs/admin-api.md). Only whitelisted hosts get an answer, and every request carries the auth string as a=.',
    },
    components: {
      parameters: {
        auth: {
          name: 'a',
          in: 'query',
          required: true,
          description: 'the auth string',
          schema: { type: 'string' },
        },
      },
    },
    paths,
  };
}
