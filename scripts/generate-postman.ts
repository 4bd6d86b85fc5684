// A Postman collection of the API, generated from the OpenAPI document (openapi-to-postmanv2):
//   docs/postman/woodstock-inbox.postman_collection.json
//
//   npm run generate:postman            (tsx scripts/generate-postman.ts)
//
// Import it into Postman, set the collection variables `baseUrl` (default http://localhost:8000)
// and `apiKey`; every /api request sends `Authorization: Bearer {{apiKey}}`. The output is
// deterministic (no random ids) so the committed file diffs cleanly; test/integration/openapi.test.ts
// checks that it is current.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { convertV2 } from 'openapi-to-postmanv2';
import { buildOpenApiDocument, documentPath, type OpenApiDocument } from './generate-inbox-client.ts';

export const postmanPath = fileURLToPath(new URL('../docs/postman/woodstock-inbox.postman_collection.json', import.meta.url));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Item = { name: string; item?: Item[]; request?: { auth?: Json; url?: { path?: string[] } } & Record<string, Json | undefined> } & Record<string, Json | undefined>;

/** mulberry32: a tiny seeded PRNG. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The converter fakes values for schemas without examples (json-schema-faker, with Math.random by
// default); a seeded generator, reset before every conversion, makes the output the same on every run.
const faker = createRequire(import.meta.url)('openapi-to-postmanv2/assets/json-schema-faker.js') as { option(o: Record<string, unknown>): void };

async function convert(doc: OpenApiDocument): Promise<{ info: Record<string, Json>; item: Item[] } & Record<string, Json>> {
  faker.option({ random: seeded(20261125) });
  return convertWith(doc);
}

function convertWith(doc: OpenApiDocument): Promise<{ info: Record<string, Json>; item: Item[] } & Record<string, Json>> {
  return new Promise((resolve, reject) => {
    convertV2(
      { type: 'json', data: structuredClone(doc) as never },
      {
        folderStrategy: 'Tags',
        requestNameSource: 'Fallback',
        parametersResolution: 'Example',
        // Optional query parameters are listed but left unticked; the caller picks.
        enableOptionalParameters: false,
        alwaysInheritAuthentication: false,
        includeAuthInfoInExample: false,
      },
      (err, result) => {
        if (err) return reject(new Error(`openapi-to-postmanv2: ${err.message}`));
        if (!result?.result || !result.output?.[0]) return reject(new Error(`openapi-to-postmanv2: ${result?.reason ?? 'conversion failed'}`));
        resolve(result.output[0].data as never);
      },
    );
  });
}

/** Removes what changes from run to run (random ids) so the file is reproducible. */
function stripIds(node: Json): Json {
  if (Array.isArray(node)) return node.map(stripIds);
  if (node && typeof node === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'id' || k === '_postman_id') continue;
      out[k] = stripIds(v);
    }
    return out;
  }
  return node;
}

const bearer = { type: 'bearer', bearer: [{ key: 'token', value: '{{apiKey}}', type: 'string' }] } as const;

/** Public routes (no `security` requirement, or an optional one) send no key; the rest inherit the collection's bearer key. */
function fixAuth(items: Item[], publicPaths: Set<string>): void {
  for (const item of items) {
    if (item.item) fixAuth(item.item, publicPaths);
    if (!item.request) continue;
    const path = `/${(item.request.url?.path ?? []).map((seg) => seg.replace(/^:(\w+)$/, '{$1}')).join('/')}`;
    if (publicPaths.has(path)) item.request.auth = { type: 'noauth' };
    else delete item.request.auth;
  }
}

export async function renderPostman(doc: OpenApiDocument): Promise<string> {
  const collection = stripIds((await convert(doc)) as Json) as { info: Record<string, Json>; item: Item[] } & Record<string, Json>;
  const publicPaths = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const op of Object.values(ops) as { security?: Record<string, unknown>[] }[]) {
      if (!op.security || op.security.length === 0 || op.security.some((s) => Object.keys(s).length === 0)) publicPaths.add(path);
    }
  }
  fixAuth(collection.item, publicPaths);
  const source = JSON.stringify(doc);
  return `${JSON.stringify(
    {
      info: {
        // A stable id derived from the document: re-importing replaces the previous version.
        _postman_id: createHash('sha256').update('woodstock-inbox').digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
        name: 'Woodstock Outlet assistant and inbox API',
        description: `${String((doc.info as { description?: string }).description ?? '')}\n\nSet the collection variables \`baseUrl\` and \`apiKey\` (an inbox API key: \`npm run cli -- keys create --name inbox-team\`). Generated from the OpenAPI document (sha256 ${createHash('sha256').update(source).digest('hex').slice(0, 12)}) by scripts/generate-postman.ts; see docs/inbox-integration.md.`,
        schema: collection.info.schema ?? 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
      },
      item: collection.item,
      auth: bearer,
      variable: [
        { key: 'baseUrl', value: 'http://localhost:8000', type: 'string' },
        { key: 'apiKey', value: '', type: 'string' },
      ],
    },
    null,
    2,
  )}\n`;
}

export async function generatePostman(doc?: OpenApiDocument): Promise<string> {
  // Default: the committed document (npm run generate:client first); fresh when that is missing.
  const source = doc ?? (await readFile(documentPath, 'utf8').then((s) => JSON.parse(s) as OpenApiDocument, () => buildOpenApiDocument()));
  const text = await renderPostman(source);
  await mkdir(fileURLToPath(new URL('.', pathToFileURL(postmanPath))), { recursive: true });
  await writeFile(postmanPath, text);
  return text;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fresh = process.argv.includes('--fresh');
  const text = await generatePostman(fresh ? await buildOpenApiDocument() : undefined);
  const collection = JSON.parse(text) as { item: Item[] };
  const count = (items: Item[]): number => items.reduce((n, i) => n + (i.item ? count(i.item) : 1), 0);
  console.log(`docs/postman/woodstock-inbox.postman_collection.json: ${count(collection.item)} requests`);
}
