/**
 * Versioned indices behind a read alias and a write alias (flaw #1): physical indices are `<alias>_v<N>`; the
 * read alias is the configured name (default `marketplace_listings`), the write alias `<alias>_write`. A rebuild
 * fills a new `_v<N>` (no replicas, refresh off), and one `_aliases` request moves both aliases, so searches never
 * see an empty or half-built index. The replaced index gets a marker alias `<alias>_retired_<sequence>` (the order
 * of retirement), so `keep` drops the oldest retired ones and never an index a rebuild is still filling.
 */
import type { Client } from '@opensearch-project/opensearch';
import type { AliasSwap } from '../../ports/search-index.ts';
import { AppError } from '../../src/domain/errors.ts';
import { reasonOf, statusOf } from './opensearch-errors.ts';
import { INDEX_MAPPINGS, indexSettings } from './opensearch-index-definition.ts';

export interface IndexLayout {
  readonly read: string;
  readonly write: string;
  readonly replicas: number;
  readonly refreshInterval: string;
}

type Json = Record<string, unknown>;

async function call(client: Client, method: string, path: string, body?: Json): Promise<unknown> {
  const response = await client.transport.request({ method, path, ...(body === undefined ? {} : { body }) });
  return response.body;
}

/** The body of a GET that answers 404 when nothing matches, as `{}` in that case. */
async function getOrEmpty(client: Client, path: string): Promise<Record<string, unknown>> {
  try {
    return (await call(client, 'GET', path)) as Record<string, unknown>;
  } catch (error) {
    if (statusOf(error) === 404) return {};
    throw error;
  }
}

export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  return Object.keys(await getOrEmpty(client, `/_alias/${alias}`));
}

export async function indexExists(client: Client, name: string): Promise<boolean> {
  try {
    // The client answers a HEAD 404 without throwing.
    const response = await client.transport.request({ method: 'HEAD', path: `/${name}` });
    return response.statusCode === 200;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

export function isVersionedName(layout: IndexLayout, name: string): boolean {
  return name.startsWith(`${layout.read}_v`) && /^[1-9][0-9]{0,8}$/.test(name.slice(layout.read.length + 2));
}

export function checkVersionedName(layout: IndexLayout, name: string): string {
  if (isVersionedName(layout, name)) return name;
  const message = `not a search index of ${layout.read}: ${name}`;
  throw new AppError('VALIDATION_FAILED', message, {
    violations: [{ field: 'index', reason: 'invalid_format', message }],
  });
}

async function nextVersion(client: Client, layout: IndexLayout): Promise<number> {
  const found = (await call(client, 'GET', `/_cat/indices/${layout.read}_v*?format=json&h=index`)) as {
    index: string;
  }[];
  const numbers = found
    .filter((row) => isVersionedName(layout, row.index))
    .map((row) => Number(row.index.slice(layout.read.length + 2)));
  return Math.max(0, ...numbers) + 1;
}

async function createIndex(client: Client, layout: IndexLayout, loading: boolean, aliases: Json): Promise<string> {
  const name = `${layout.read}_v${await nextVersion(client, layout)}`;
  const settings = loading
    ? indexSettings({ replicas: 0, refreshInterval: '-1' })
    : indexSettings({ replicas: layout.replicas, refreshInterval: layout.refreshInterval });
  await call(client, 'PUT', `/${name}`, { settings: { index: settings }, mappings: INDEX_MAPPINGS, aliases });
  return name;
}

export async function ensureServingIndex(
  client: Client,
  layout: IndexLayout,
): Promise<{ name: string; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const serving = await aliasTargets(client, layout.read);
    if (serving[0] !== undefined) return { name: serving[0], created: false };
    if (await indexExists(client, layout.read)) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `${layout.read} is an index, not an alias: it was created without versioning; rebuild into a versioned index and delete it`,
      );
    }
    try {
      const aliases = { [layout.read]: {}, [layout.write]: { is_write_index: true } };
      return { name: await createIndex(client, layout, false, aliases), created: true };
    } catch (error) {
      // Another process created the first index meanwhile: read what it made.
      if (attempt > 0 || !reasonOf(error).startsWith('resource_already_exists_exception')) throw error;
    }
  }
}

export function createLoadingIndex(client: Client, layout: IndexLayout): Promise<string> {
  return createIndex(client, layout, true, {});
}

/** Retired indices with their retirement sequence, newest first. */
async function retiredIndices(client: Client, layout: IndexLayout): Promise<{ name: string; sequence: number }[]> {
  const found = await getOrEmpty(client, `/_alias/${layout.read}_retired_*`);
  const prefix = `${layout.read}_retired_`;
  return Object.entries(found as Record<string, { aliases: Record<string, unknown> }>)
    .map(([name, { aliases }]) => ({
      name,
      sequence: Math.max(...Object.keys(aliases).map((alias) => Number(alias.slice(prefix.length)) || 0)),
    }))
    .sort((a, b) => b.sequence - a.sequence);
}

export async function swapAliases(client: Client, layout: IndexLayout, name: string, keep: number): Promise<AliasSwap> {
  checkVersionedName(layout, name);
  if (!Number.isInteger(keep) || keep < 0) {
    const message = 'keep must be a whole number ≥ 0';
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: 'keep', reason: 'out_of_range', message }],
    });
  }
  if (!(await indexExists(client, name))) {
    const message = `no such search index: ${name}`;
    throw new AppError('VALIDATION_FAILED', message, {
      violations: [{ field: 'index', reason: 'not_found', message }],
    });
  }
  const previous = (await aliasTargets(client, layout.read))[0] ?? null;
  if (previous === name) return { previous, dropped: [] };
  // Serving settings before it serves: replicas and refresh back on, everything loaded visible.
  await call(client, 'PUT', `/${name}/_settings`, {
    index: { number_of_replicas: layout.replicas, refresh_interval: layout.refreshInterval },
  });
  await call(client, 'POST', `/${name}/_refresh`);
  const retired = await retiredIndices(client, layout);
  const sequence = Math.max(Date.now(), (retired[0]?.sequence ?? 0) + 1);
  const actions: Json[] = [];
  if (previous !== null) {
    actions.push({ remove: { index: previous, alias: layout.read } });
    for (const holder of await aliasTargets(client, layout.write)) {
      actions.push({ remove: { index: holder, alias: layout.write } });
    }
    actions.push({ add: { index: previous, alias: `${layout.read}_retired_${sequence}` } });
  }
  if (retired.some((index) => index.name === name)) {
    actions.push({ remove: { index: name, alias: `${layout.read}_retired_*` } });
  }
  actions.push({ add: { index: name, alias: layout.read } });
  actions.push({ add: { index: name, alias: layout.write, is_write_index: true } });
  await call(client, 'POST', '/_aliases', { actions });

  const older = (await retiredIndices(client, layout)).filter((index) => index.name !== name);
  const dropped = older.slice(keep).map((index) => index.name);
  for (const old of dropped) await call(client, 'DELETE', `/${old}`);
  return { previous, dropped };
}

export async function dropVersionedIndex(client: Client, layout: IndexLayout, name: string): Promise<void> {
  checkVersionedName(layout, name);
  const serving = [...(await aliasTargets(client, layout.read)), ...(await aliasTargets(client, layout.write))];
  if (serving.includes(name)) throw new AppError('INVALID_STATE', `${name} serves searches and cannot be dropped`);
  try {
    await call(client, 'DELETE', `/${name}`);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}
