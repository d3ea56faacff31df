import { createHash } from 'node:crypto';

/**
 * The dictionaries CKAN 2.10's read actions answer with, as far as this facade fills them.
 * Field names and which of them may be null follow CKAN's tables and dictizers
 * (ckan/model/package.py, resource.py, group.py; ckan/lib/dictization/model_dictize.py
 * `package_dictize`, `group_dictize`), so a client written against CKAN finds every key it
 * reads. tests/fixtures/ckan/ckan-2.10-responses.schema.json says the same as a JSON Schema.
 */

export type Lang3 = { en: string; tg: string; ru: string };

export interface CkanTag {
  id: string;
  name: string;
  display_name: string;
  state: 'active';
  vocabulary_id: null;
}

/** An organization as a package embeds it (`d.obj_list_dictize` of the group row). */
export interface CkanOrganizationRow {
  id: string;
  name: string;
  title: string;
  type: 'organization';
  description: string;
  image_url: string;
  created: string;
  is_organization: true;
  approval_status: 'approved';
  state: 'active';
}

/** A group as a package lists it (group_list_dictize without package counts). HDX's countries are groups. */
export interface CkanGroupRef {
  id: string;
  name: string;
  title: string;
  display_name: string;
  description: string;
  image_display_url: string;
}

export interface CkanResource {
  id: string;
  package_id: string;
  url: string;
  format: string;
  name: string;
  description: string;
  hash: string;
  position: number;
  resource_type: string | null;
  mimetype: string | null;
  mimetype_inner: string | null;
  size: number | null;
  created: string;
  last_modified: string | null;
  metadata_modified: string;
  cache_url: null;
  cache_last_updated: null;
  url_type: null;
  state: 'active';
  datastore_active: false;
  /** Resource extras, flattened onto the resource as CKAN does: the DCAT IRI and the other languages. */
  uri: string;
  hash_algorithm?: string;
  name_translated: Lang3;
  description_translated: Lang3;
}

export interface CkanExtra {
  key: string;
  value: string;
}

export interface CkanPackage {
  id: string;
  name: string;
  title: string;
  notes: string;
  type: 'dataset';
  state: 'active';
  private: false;
  url: string;
  version: null;
  author: string;
  author_email: null;
  maintainer: string | null;
  maintainer_email: string | null;
  license_id: string | null;
  license_title: string | null;
  license_url?: string;
  isopen: boolean;
  creator_user_id: null;
  metadata_created: string;
  metadata_modified: string;
  owner_org: string;
  organization: CkanOrganizationRow;
  groups: CkanGroupRef[];
  tags: CkanTag[];
  num_tags: number;
  resources: CkanResource[];
  num_resources: number;
  extras: CkanExtra[];
  relationships_as_object: [];
  relationships_as_subject: [];
  /** ckanext-fluent's multilingual fields: the catalog says everything in tg, ru and en. */
  title_translated: Lang3;
  notes_translated: Lang3;
  // HDX's dataset fields (hdx-python-api reads them from the package dict itself).
  dataset_date?: string;
  methodology?: string;
  methodology_other?: string;
  dataset_source: string;
  caveats?: string;
  data_update_frequency?: string;
  subnational: '0' | '1';
}

/** What the mapping gives the actions: every package, and the organizations and groups they name. */
export interface CkanCatalog {
  packages: CkanPackage[];
  organizations: (CkanOrganizationRow & { display_name: string; image_display_url: string })[];
  groups: CkanGroupRef[];
  /** What status_show says about the site: the catalog's title and description, and BASE_URI. */
  site: { title: string; description: string; url: string };
}

/**
 * CKAN's ids are UUIDs; ours are IRIs. A name-based UUID (RFC 9562 §5.5, version 5, SHA-1 in the
 * URL namespace) of the IRI is stable across data versions and servers, and is what the
 * harvester de-duplicates and sorts on (`sort=id asc`).
 */
export function iriUuid(iri: string): string {
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const h = createHash('sha1').update(ns).update(iri, 'utf8').digest().subarray(0, 16);
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
