/**
 * The "Use this data" page's path (README, "Use this data"), on its own so that the route's
 * registration does not load the page's recipes and template at start-up (README, "Start-up").
 */
export const USE_DATA_PATH = '/use-data';
