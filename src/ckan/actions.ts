import type { CkanCatalog, CkanGroupRef, CkanPackage } from './ckan-types.js';
import { notAuthorized, notFound, validationError } from './errors.js';
import { ckanName } from './package-mapping.js';
import { packageSearch } from './package-search.js';

/**
 * The read actions of CKAN 2.10 this facade answers (ckan/logic/action/get.py), each a pure
 * function of the catalog and the request's parameters. Their docstrings are what `help_show`
 * gives, and where every answer's `help` link points.
 */
export type Params = Record<string, unknown>;
type Action = { doc: string; run: (catalog: CkanCatalog, params: Params) => unknown };

/** CKAN's write actions: known to CKAN, so not "unknown", but refused here as CKAN refuses an anonymous caller. */
export const WRITE_ACTIONS = new Set([
  'package_create', 'package_update', 'package_patch', 'package_delete', 'dataset_purge', 'package_revise', 'package_owner_org_update',
  'resource_create', 'resource_update', 'resource_patch', 'resource_delete', 'package_resource_reorder',
  'organization_create', 'organization_update', 'organization_patch', 'organization_delete', 'organization_purge', 'organization_member_create',
  'group_create', 'group_update', 'group_patch', 'group_delete', 'group_purge', 'member_create', 'member_delete',
  'tag_create', 'tag_delete', 'user_create', 'user_update', 'user_delete', 'api_token_create', 'bulk_update_public', 'bulk_update_private', 'bulk_update_delete',
]);

export const refuseWrite = () => notAuthorized('this CKAN Action API is a read-only view of the catalog; publish through /publish/');

const asBool = (v: unknown, dflt: boolean): boolean => {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (['true', 'yes', 'on', 'y', 't', '1'].includes(s)) return true;
  if (['false', 'no', 'off', 'n', 'f', '0'].includes(s)) return false;
  throw validationError({ message: 'Parameter is not an bool' });
};

/** `_get_or_bust`: a required parameter, else 409 `{"<key>": ["Missing value"]}`. */
function required(params: Params, key: string, alias?: string): string {
  const v = params[key] ?? (alias ? params[alias] : undefined);
  if (v === undefined || v === null || v === '') throw validationError({ [alias ?? key]: ['Missing value'] });
  return String(v);
}

/** CKAN's default_pagination_schema: limit and offset are natural numbers. */
function page<T>(items: T[], params: Params): T[] {
  const errors: Record<string, string[]> = {};
  const num = (key: string): number | undefined => {
    const v = params[key];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : /^\s*[+-]?\d+\s*$/.test(String(v)) ? Number(v) : NaN;
    if (!Number.isInteger(n)) errors[key] = ['Invalid integer'];
    else if (n < 0) errors[key] = ['Must be a natural number'];
    return n;
  };
  const limit = num('limit');
  const offset = num('offset') ?? 0;
  if (Object.keys(errors).length) throw validationError(errors);
  return items.slice(offset, limit ? offset + limit : undefined);
}

function findPackage(catalog: CkanCatalog, idOrName: string): CkanPackage {
  const p = catalog.packages.find((x) => x.id === idOrName || x.name === idOrName || x.name === ckanName(idOrName));
  if (!p) throw notFound();
  return p;
}

type Org = CkanCatalog['organizations'][number];

/** `_group_or_org_list`: names, or (all_fields) the dicts without tags, users, extras or sub-groups. */
function groupOrOrgList<T extends { name: string; title: string }>(items: T[], params: Params, count: (x: T) => number, dict: (x: T) => object): unknown[] {
  const sort = String(params.sort ?? params.order_by ?? 'title');
  const parts = sort.split(',').map((s) => s.trim().split(/\s+/));
  if (parts.length > 1) throw validationError({ message: 'Too many sort criteria provided only 1 allowed' });
  const [field = 'title', dirRaw] = parts[0] ?? [];
  const key = field === 'packages' ? 'package_count' : field;
  if (!['name', 'title', 'package_count'].includes(key)) throw validationError({ message: `Cannot sort by field \`${field}\`` });
  const dir = (dirRaw ?? (field === 'packages' || field === 'package_count' ? 'desc' : 'asc')).toLowerCase();
  if (dir !== 'asc' && dir !== 'desc') throw validationError({ message: `Invalid sort direction \`${dir}\`` });
  const wanted = [params.organizations, params.groups].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]));
  const q = typeof params.q === 'string' ? params.q.trim().toLowerCase() : '';
  const chosen = items
    .filter((x) => wanted.length === 0 || wanted.includes(x.name))
    .filter((x) => !q || x.name.toLowerCase().includes(q) || x.title.toLowerCase().includes(q))
    .sort((a, b) => {
      const x = key === 'package_count' ? count(a) : a[key as 'name' | 'title'];
      const y = key === 'package_count' ? count(b) : b[key as 'name' | 'title'];
      return (x < y ? -1 : x > y ? 1 : 0) * (dir === 'desc' ? -1 : 1);
    });
  const paged = page(chosen, params);
  return asBool(params.all_fields, false) ? paged.map(dict) : paged.map((x) => x.name);
}

const orgCount = (catalog: CkanCatalog) => (o: Org) => catalog.packages.filter((p) => p.owner_org === o.id).length;
const groupCount = (catalog: CkanCatalog) => (g: CkanGroupRef) => catalog.packages.filter((p) => p.groups.some((x) => x.id === g.id)).length;

function orgDict(catalog: CkanCatalog, o: Org, full: boolean, params: Params = {}): Record<string, unknown> {
  const base = { ...o, package_count: orgCount(catalog)(o), num_followers: 0 };
  if (!full) return base;
  return {
    ...base,
    ...(asBool(params.include_extras, true) ? { extras: [] } : {}),
    ...(asBool(params.include_tags, true) ? { tags: [] } : {}),
    ...(asBool(params.include_groups, true) ? { groups: [] } : {}),
    ...(asBool(params.include_users, true) ? { users: [] } : {}),
    ...(asBool(params.include_datasets, false) ? { packages: catalog.packages.filter((p) => p.owner_org === o.id) } : {}),
  };
}

function groupDict(catalog: CkanCatalog, g: CkanGroupRef, full: boolean, params: Params = {}): Record<string, unknown> {
  const base = { ...g, type: 'group', is_organization: false, approval_status: 'approved', state: 'active', image_url: '', created: catalog.organizations[0]?.created ?? '', package_count: groupCount(catalog)(g), num_followers: 0 };
  if (!full) return base;
  return {
    ...base, extras: [], tags: [], groups: [], users: [],
    ...(asBool(params.include_datasets, false) ? { packages: catalog.packages.filter((p) => p.groups.some((x) => x.id === g.id)) } : {}),
  };
}

export const ACTIONS: Readonly<Record<string, Action>> = {
  package_list: {
    doc: "Return a list of the names of the site's datasets (packages).\n\n:param limit: ... (optional)\n:param offset: ... (optional)\n:rtype: list of strings",
    run: (c, p) => page(c.packages.map((x) => x.name).sort(), p),
  },
  package_show: {
    doc: 'Return the metadata of a dataset (package) and its resources.\n\n:param id: the id or name of the dataset\n:rtype: dictionary',
    run: (c, p) => findPackage(c, required(p, 'id', 'name_or_id')),
  },
  package_search: {
    doc: 'Searches for packages satisfying a given search criteria (q, fq, fq_list, rows, start, sort, facet.field).\n\n:rtype: dictionary with count, results, facets, search_facets and sort',
    run: (c, p) => packageSearch(c.packages, p),
  },
  resource_show: {
    doc: 'Return the metadata of a resource.\n\n:param id: the id of the resource\n:rtype: dictionary',
    run: (c, p) => {
      const id = required(p, 'id');
      const r = c.packages.flatMap((x) => x.resources).find((x) => x.id === id);
      if (!r) throw notFound();
      return r;
    },
  },
  organization_list: {
    doc: "Return a list of the names of the site's organizations (all_fields: their dictionaries).\n\n:rtype: list of strings",
    run: (c, p) => groupOrOrgList(c.organizations, p, orgCount(c), (o) => orgDict(c, o, false)),
  },
  organization_show: {
    doc: 'Return the details of a organization.\n\n:param id: the id or name of the organization\n:param include_datasets: include a list of the organization\'s datasets (optional, default: False)\n:rtype: dictionary',
    run: (c, p) => {
      const id = required(p, 'id');
      const o = c.organizations.find((x) => x.id === id || x.name === id);
      if (!o) throw notFound();
      return orgDict(c, o, true, p);
    },
  },
  group_list: {
    doc: "Return a list of the names of the site's groups: here the countries the datasets cover, as HDX's locations.\n\n:rtype: list of strings",
    run: (c, p) => groupOrOrgList(c.groups, p, groupCount(c), (g) => groupDict(c, g, false)),
  },
  group_show: {
    doc: 'Return the details of a group (a country, as HDX names its locations).\n\n:param id: the id or name of the group\n:rtype: dictionary',
    run: (c, p) => {
      const id = required(p, 'id');
      const g = c.groups.find((x) => x.id === id || x.name === id);
      if (!g) throw notFound();
      return groupDict(c, g, true, p);
    },
  },
  tag_list: {
    doc: "Return a list of the site's tags (dcat:keyword in Tajik, Russian and English).\n\n:param query: a tag name query to search for (optional)\n:param all_fields: return full tag dictionaries instead of just names (optional, default: False)\n:rtype: list of dictionaries",
    run: (c, p) => {
      const query = String(p.query ?? p.q ?? '').trim().toLowerCase();
      const tags = new Map(c.packages.flatMap((x) => x.tags).map((t) => [t.name, t]));
      const chosen = [...tags.values()].filter((t) => !query || t.name.toLowerCase().includes(query)).sort((a, b) => (a.name < b.name ? -1 : 1));
      return p.all_fields !== undefined && asBool(p.all_fields, false) ? chosen.map((t) => ({ id: t.id, name: t.name, vocabulary_id: null })) : chosen.map((t) => t.name);
    },
  },
  status_show: {
    doc: "Return a dictionary with information about the site's configuration.\n\n:rtype: dictionary",
    // The API version answered is the one whose code this facade follows (ckan/views/api.py and
    // get.py at ckan-2.10.9); there is no CKAN behind it, and no extension.
    run: (c) => ({
      site_title: c.site.title, site_description: c.site.description, site_url: c.site.url, error_emails_to: null,
      locale_default: 'en', extensions: [], ckan_version: '2.10.9',
    }),
  },
  help_show: {
    doc: 'Return the help string for a particular API action.\n\n:param name: Action function name (eg `package_search`)\n:rtype: string',
    run: (_c, p) => {
      const name = required(p, 'name');
      const action = ACTIONS[name];
      if (!action) throw notFound();
      return action.doc;
    },
  },
};
