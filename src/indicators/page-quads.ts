import type { Quad } from '@rdfjs/types';
import { View } from '../html/rdf-view.js';
import type { AppContext } from '../server/app-context.js';
import { indicatorMapQuads } from './indicator-map.js';
import { indicatorSlice } from './indicator-query.js';
import { sliceOf } from './indicator-slice.js';

/**
 * What the indicator page reads beside the concept's document (serveDocument's htmlQuads): the
 * indicator's figures in every unit, and the boundaries its map is drawn with. Never part of the
 * RDF variants of /def/indicator/{id}.
 */
export async function indicatorPageQuads(ctx: AppContext, iri: string): Promise<Quad[]> {
  const slice = await indicatorSlice(ctx.store, ctx.base, iri);
  const map = await indicatorMapQuads({ describer: ctx.describer, base: ctx.base, dataVersion: ctx.dataVersion }, sliceOf(new View(slice), iri, ctx.base));
  return [...slice, ...map];
}
