import { STD } from '../rdf/namespaces.js';
import { html, jsonLdScript } from './escape.js';
import { genericBody, observationTitle } from './generic-page.js';
import { placeJsonLd, thingJsonLd } from './jsonld.js';
import { renderLayout } from './layout.js';
import type { PageContext, ResourcePageInput } from './models.js';
import { Names } from './names.js';
import { nameText } from './page-parts.js';
import { View } from './rdf-view.js';
import { unitBody, unitClass } from './unit-page.js';
import { type ProfileInput, profileStyle } from './profile.js';

/**
 * The HTML page of a document /doc/{path} about BASE/id/{path}: an administrative unit gets its
 * facts, contained units, statistics and schema.org place description; anything else a generic
 * page with its properties.
 */
export function renderResourcePage(input: ResourcePageInput & { profile?: ProfileInput }, ctx: PageContext): string {
  const v = new View(input.quads);
  const names = new Names(ctx.lang);
  const isUnit = unitClass(v, input.iri, ctx.base) !== undefined;
  const body = isUnit ? unitBody(v, input.iri, ctx, names, input.profile) : genericBody(v, input.iri, ctx, names);
  const jsonld = isUnit ? placeJsonLd(v, input.iri, ctx.base) : thingJsonLd(v, input.iri, ctx.base);
  return renderLayout(ctx, {
    title: observationTitle(v, names, input.iri, ctx.base, true) ?? nameText(v, names, input.iri, ctx.base),
    body,
    // A dataset's DCAT-AP description is in the catalog: say where (RFC 8288 "describedby").
    head: v.hasType(input.iri, `${STD.dcat}Dataset`)
      ? html`${jsonLdScript(jsonld)}\n<link rel="describedby" type="text/turtle" href="/catalog.ttl" title="DCAT-AP">\n<link rel="describedby" type="application/ld+json" href="/catalog.jsonld" title="DCAT-AP">\n`
      : isUnit && input.profile ? html`${jsonLdScript(jsonld)}\n${profileStyle()}\n` : jsonLdScript(jsonld),
  });
}
