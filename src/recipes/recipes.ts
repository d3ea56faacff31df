/**
 * The recipes of the "Use this data" page (/use-data): complete programs a reader copies and runs
 * against this server. One list, shown by the page (src/recipes/page.ts) and run by
 * tests/recipes.test.ts with the real tools (curl, Rscript, python3, node), so the page never
 * shows code that the tests did not run.
 *
 * The code carries no prose (no comments): it is the same on the Tajik, Russian and English pages,
 * and what it does is said beside it in the page's language (src/recipes/strings.ts). Two
 * placeholders are filled when the page is made: SITE, the address the program sends its
 * requests to, and BASE, the start of the IRIs its queries name. Both are BASE_URI on the page;
 * the test sends the requests to its own loopback server, whose data keeps the IRIs of BASE_URI.
 */

/** The tool a recipe is run with; its name in the code block's class (`language-…`). */
export type RecipeLanguage = 'sh' | 'r' | 'python' | 'javascript';

export interface Recipe {
  /** Stable: the section's anchor (`#recipe-{id}`), the strings' key, the test's name. */
  id: 'spreadsheet' | 'r-sparql' | 'python-sparqlwrapper' | 'jsonld-node';
  language: RecipeLanguage;
  /** Where the reader saves the code, when it is a file; a shell recipe is typed as it stands. */
  file?: string;
  /** The command that runs the saved file, shown under it and run as shown by the test. */
  command?: string;
  /** The code, with SITE_PLACEHOLDER and BASE_PLACEHOLDER where the addresses go. */
  template: string;
}

export const SITE_PLACEHOLDER = '@SITE@';
export const BASE_PLACEHOLDER = '@BASE@';

/**
 * The Tajik names of Khatlon's district-level units, for R and for the editor link. STR() gives
 * the names as plain strings (the SPARQL package would keep "…"@tg), and the year as text (it
 * reads an xsd:gYear as a date-time).
 */
export const KHATLON_QUERY = `PREFIX lg:   <${BASE_PLACEHOLDER}def/lg#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code (STR(?label) AS ?name_tg) ?population (STR(?y) AS ?year) WHERE {
  ?region lg:code "TJ-KT" .
  ?district lg:within ?region ;
            lg:adminLevel lg:level-district ;
            lg:code ?code ;
            skos:prefLabel ?label .
  FILTER(LANG(?label) = "tg")
  OPTIONAL { ?district lg:population ?population ; lg:populationYear ?y }
}
ORDER BY ?code`;

export const RECIPES: readonly Recipe[] = [
  {
    id: 'spreadsheet',
    language: 'sh',
    template: `curl -fsS -o units.csv ${SITE_PLACEHOLDER}download/units.csv
curl -fsS -o education.xlsx ${SITE_PLACEHOLDER}download/education.xlsx
head -n 1 units.csv
grep '^TJ-KT-06,' units.csv`,
  },
  {
    id: 'r-sparql',
    language: 'r',
    file: 'khatlon.R',
    command: 'Rscript khatlon.R',
    template: `library(SPARQL)
endpoint <- "${SITE_PLACEHOLDER}sparql"
query <- '
${KHATLON_QUERY}'
districts <- SPARQL(url = endpoint, query = query)$results
print(districts)
write.csv(districts, "khatlon.csv", row.names = FALSE, fileEncoding = "UTF-8")`,
  },
  {
    id: 'python-sparqlwrapper',
    language: 'python',
    file: 'yovon.py',
    command: 'python3 yovon.py',
    template: `from SPARQLWrapper import SPARQLWrapper, JSON

sparql = SPARQLWrapper("${SITE_PLACEHOLDER}sparql")
sparql.setQuery("""
PREFIX lg:   <${BASE_PLACEHOLDER}def/lg#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?name_en ?name_tg ?population WHERE {
  ?district lg:code "TJ-KT-06" .
  ?jamoat lg:within ?district ;
          lg:adminLevel lg:level-jamoat ;
          lg:code ?code ;
          skos:prefLabel ?name_en .
  FILTER(LANG(?name_en) = "en")
  OPTIONAL { ?jamoat skos:prefLabel ?name_tg . FILTER(LANG(?name_tg) = "tg") }
  OPTIONAL { ?jamoat lg:population ?population }
}
ORDER BY ?code
""")
sparql.setReturnFormat(JSON)
rows = sparql.queryAndConvert()["results"]["bindings"]
for row in rows:
    cells = [row.get(name, {}).get("value", "-") for name in ("code", "name_en", "name_tg", "population")]
    print(" | ".join(cells))
print(len(rows), "rows")`,
  },
  {
    id: 'jsonld-node',
    language: 'javascript',
    file: 'yovon.mjs',
    command: 'node yovon.mjs',
    template: `const response = await fetch("${SITE_PLACEHOLDER}id/district/TJ-KT-06", {
  headers: { Accept: "application/ld+json" },
});
const data = await response.json();
const district = data["@graph"].find((node) => node.code === "TJ-KT-06");
console.log(district.prefLabel.tg);
console.log(district.prefLabel.ru);
console.log(district.prefLabel.en);
console.log(district.population, district.populationYear);`,
  },
];

export interface RecipeAddresses {
  /** Where the requests go (BASE_URI on the page). */
  site: string;
  /** The start of the IRIs the data uses (BASE_URI). */
  base: string;
}

/** The program of a recipe with its addresses filled in: exactly what the page shows. */
export function recipeCode(template: string, at: RecipeAddresses): string {
  return template.replaceAll(SITE_PLACEHOLDER, at.site).replaceAll(BASE_PLACEHOLDER, at.base);
}

/** The editor link's query (the R recipe's), its IRIs filled in. */
export function khatlonQuery(base: string): string {
  return recipeCode(KHATLON_QUERY, { site: base, base });
}
