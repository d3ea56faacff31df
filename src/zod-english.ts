/**
 * English messages for zod/mini, which loads no locale by itself: without them every problem
 * reads "Invalid input", without saying what was expected. Imported for this effect by the
 * modules that validate (config.ts, convert/layout.ts); they import `zod/mini` themselves, as a
 * namespace re-exported from here would make the bundler keep all of zod.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
