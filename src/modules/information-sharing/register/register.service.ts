import { instance, type Viz } from '@viz-js/viz';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { ukToday } from '../../../platform/dates.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canReadAgreements } from '../information-sharing.policy.ts';
import { article6, article9, confidentiality, flowTypes, identifiability, identifiabilityColour, itemName, partyRoles } from '../catalogue.ts';
import * as repo from './register.repository.ts';
import { generationToken } from '../enforcement/enforcement.repository.ts';

/*
 * The whole picture: the public register of active agreements and their flows (page, JSON, CSV),
 * and the data-flow map drawn on the server by Graphviz (@viz-js/viz), with the same content as
 * a table. Neither shows anyone's contact details: organisations by name only.
 */

const named = <T extends Record<string, string>>(o: T, key: string | null) => (key ? (o[key as keyof T] ?? key) : null);

export type RegisterEntry = {
  id: string;
  title: string;
  purpose: string;
  startOn: string | null;
  reviewOn: string | null;
  endOn: string | null;
  parties: { name: string; role: string }[];
  flows: { from: string; to: string; commonGroundFlow: string | null; dataItems: string[]; identifiability: string; frequency: string; method: string; lawfulBasis: string; specialCategoryCondition: string | null; confidentiality: string | null; nationalDataOptOutApplies: boolean }[];
};

// The register is the same for everyone until an agreement (or an organisation's name) changes,
// or the day does: kept per process, keyed by the database's generation token and the UK date.
const registers = new Map<string, RegisterEntry[]>();

/** The public register: every agreement active today, with its parties and flows. */
export async function publicRegister(db: Database, now = new Date()): Promise<RegisterEntry[]> {
  const on = ukToday(now);
  const key = `${await generationToken(db)}|${on}`;
  const kept = registers.get(key);
  if (kept) return kept;
  const built = await buildRegister(db, on);
  if (registers.size >= 8) registers.delete(registers.keys().next().value!);
  registers.set(key, built);
  return built;
}

async function buildRegister(db: Database, on: string): Promise<RegisterEntry[]> {
  const [flows, parties] = await Promise.all([repo.registerFlows(db, on, 'active'), repo.activeParties(db, on)]);
  const entries = new Map<string, RegisterEntry>();
  for (const f of flows) {
    let e = entries.get(f.agreementId);
    if (!e) {
      e = { id: f.agreementId, title: f.agreementTitle, purpose: f.purpose, startOn: f.startOn, reviewOn: f.reviewOn, endOn: f.endOn, parties: [], flows: [] };
      entries.set(f.agreementId, e);
    }
    e.flows.push({
      from: f.fromName,
      to: f.toName,
      commonGroundFlow: f.flowType ? (flowTypes[f.flowType as keyof typeof flowTypes]?.name ?? null) : null,
      dataItems: f.dataItems.map(itemName),
      identifiability: named(identifiability, f.identifiability)!,
      frequency: f.frequency,
      method: f.method,
      lawfulBasis: named(article6, f.article6)!,
      specialCategoryCondition: named(article9, f.article9),
      confidentiality: named(confidentiality, f.confidentialityBasis),
      nationalDataOptOutApplies: f.optOutApplies,
    });
  }
  for (const p of parties) entries.get(p.agreementId)?.parties.push({ name: p.name, role: named(partyRoles, p.role)! });
  return [...entries.values()];
}

/** One row a flow, for the CSV file. */
export function registerRows(entries: RegisterEntry[]): string[][] {
  return entries.flatMap((e) =>
    e.flows.map((f) => [e.title, e.purpose, e.startOn ?? '', e.reviewOn ?? '', e.endOn ?? '', f.from, f.to, f.commonGroundFlow ?? '', f.dataItems.join('; '), f.identifiability, f.frequency, f.method, f.lawfulBasis, f.specialCategoryCondition ?? '', f.confidentiality ?? '', f.nationalDataOptOutApplies ? 'yes' : 'no']),
  );
}
export const registerColumns = ['agreement', 'purpose', 'start', 'review', 'end', 'from', 'to', 'common ground flow', 'data items', 'identifiability', 'frequency', 'method', 'article 6', 'article 9', 'confidentiality', 'national data opt-out applies'];

let viz: Promise<Viz> | undefined;
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export type MapEdge = { from: string; to: string; identifiability: string; identifiabilityName: string; flows: number; agreements: string[]; items: string[] };

/** Flows between the same two organisations at the same level of identifiability are drawn as one line, counted. */
export function mapEdges(flows: repo.RegisterFlow[]): { edges: MapEdge[]; organisations: { id: string; name: string }[] } {
  const edges = new Map<string, MapEdge & { fromId: string; toId: string }>();
  const organisations = new Map<string, string>();
  for (const f of flows) {
    organisations.set(f.fromOrganisationId, f.fromName);
    organisations.set(f.toOrganisationId, f.toName);
    const key = `${f.fromOrganisationId}|${f.toOrganisationId}|${f.identifiability}`;
    const e = edges.get(key) ?? { fromId: f.fromOrganisationId, toId: f.toOrganisationId, from: f.fromName, to: f.toName, identifiability: f.identifiability, identifiabilityName: named(identifiability, f.identifiability)!, flows: 0, agreements: [], items: [] };
    e.flows++;
    if (!e.agreements.includes(f.agreementTitle)) e.agreements.push(f.agreementTitle);
    for (const d of f.dataItems.map(itemName)) if (!e.items.includes(d)) e.items.push(d);
    edges.set(key, e);
  }
  return { edges: [...edges.values()], organisations: [...organisations].map(([id, name]) => ({ id, name })) };
}

/** The map as SVG, laid out by Graphviz, coloured by how identifiable the data is. */
export async function drawFlowMap(edges: (MapEdge & { fromId?: string; toId?: string })[], organisations: { id: string; name: string }[], title: string): Promise<string> {
  viz ??= instance();
  const graph = await viz;
  const big = organisations.length > 60;
  const lines = [
    `digraph flows {`,
    `graph [rankdir=LR, bgcolor="transparent", fontname="Arial", ${big ? 'splines=false, outputorder=edgesfirst' : 'nodesep=0.3, ranksep=1.2'}];`,
    `node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#212b32", fontname="Arial", fontsize=11];`,
    `edge [fontname="Arial", fontsize=9, penwidth=2];`,
    ...organisations.map((o) => `${quote(o.id)} [label=${quote(o.name.length > 40 ? `${o.name.slice(0, 38)}…` : o.name)}];`),
    ...edges.map((e) => `${quote(e.fromId ?? e.from)} -> ${quote(e.toId ?? e.to)} [color=${quote(identifiabilityColour[e.identifiability as keyof typeof identifiabilityColour] ?? '#212b32')}${big ? '' : `, label=${quote(e.flows > 1 ? `${e.flows} flows` : '')}`}, tooltip=${quote(`${e.from} to ${e.to}: ${e.identifiabilityName}`)}];`),
    `}`,
  ];
  const svg = graph.renderString(lines.join('\n'), { format: 'svg', engine: big ? 'sfdp' : 'dot' });
  // An accessible picture: a title and a description, and the table below says the same.
  return svg
    .replace(/^[\s\S]*?(<svg)/, '$1')
    .replace(/<svg /, `<svg role="img" aria-labelledby="flow-map-title" `)
    .replace(/(<svg[^>]*>)/, `$1<title id="flow-map-title">${title.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</title>`);
}

// The flows the map draws, kept per process like the register (read once per change, not per view).
const mapFlows = new Map<string, repo.RegisterFlow[]>();

async function flowsFor(db: Database, on: string, which: 'active' | 'all'): Promise<repo.RegisterFlow[]> {
  const key = `${await generationToken(db)}|${on}|${which}`;
  const kept = mapFlows.get(key);
  if (kept) return kept;
  const flows = await repo.registerFlows(db, on, which);
  if (mapFlows.size >= 8) mapFlows.delete(mapFlows.keys().next().value!);
  mapFlows.set(key, flows);
  return flows;
}

export async function flowMap(db: Database, actor: Actor, which: 'active' | 'all', now = new Date()) {
  if (!canReadAgreements(actor)) throw refuse.forbidden('Only people working for an organisation in the partnership can see the data-flow map.');
  const flows = await flowsFor(db, ukToday(now), which);
  const { edges, organisations } = mapEdges(flows);
  const title = `Data flows between ${organisations.length} organisations under ${which === 'active' ? 'active' : 'all'} agreements, coloured by how identifiable the data is`;
  return { svg: organisations.length ? await drawFlowMap(edges, organisations, title) : null, edges, organisations, flows: flows.length, description: title };
}
