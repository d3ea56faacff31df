import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

/**
 * Fastify's own schema compilers (Ajv and fast-json-stringify), loaded the first time a route
 * declares a schema instead of when the instance is created. Fastify requires and sets both up
 * in its constructor, about 25 ms of start-up plus half a megabyte of bundle to parse, and no
 * route here declares a schema today; one that does gets the very same compilers.
 *
 * They are resolved from Fastify's own folder: they are its dependencies, not ours.
 */
const fromFastify = () => createRequire(createRequire(import.meta.url).resolve('fastify'));

/** What `require('@fastify/ajv-compiler')()` returns, as Fastify's constructor calls it. */
type BuildValidator = (externalSchemas: unknown, options?: unknown) => unknown;

let validator: BuildValidator | undefined;
let serializer: SerializerFactory | undefined;

export const lazySchemaCompilers: CompilersFactory = {
  buildValidator: ((externalSchemas: unknown, options?: unknown) => {
    validator ??= (fromFastify()('@fastify/ajv-compiler') as () => BuildValidator)();
    return validator(externalSchemas, options);
  }) as ValidatorFactory,
  buildSerializer: (externalSchemas, options) => {
    serializer ??= (fromFastify()('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)();
    return serializer(externalSchemas, options);
  },
};
