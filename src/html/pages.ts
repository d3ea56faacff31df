/** The site pages built from models (src/html/models.ts); each module renders one of them. */
export { renderHomePage } from './home-page.js';
export { renderSearchPage } from './search-page.js';
export { renderCoveragePage } from './coverage-page.js';
export { renderErrorPage } from './error-page.js';
export { renderResourcePage } from './resource-page.js';
export { renderVocabularyPage } from './vocabulary-page.js';
export { chooseLanguage, pickLabel } from './i18n.js';
