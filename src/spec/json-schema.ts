/**
 * The JSON Schema of a spec file, for editors that complete and check YAML (yaml-language-server
 * reads `# yaml-language-server: $schema=…`) and JSON. Generated from the schema table
 * (schema.ts): each field kind describes itself (fields.ts), each object its names
 * (section.ts), and the rules that span fields are written here from the same tables complete.ts
 * applies. `statevisor schema` prints it; the package ships it as schema/process-spec.schema.json
 * (written by `npm run build`, checked against this by test/spec/json-schema.test.ts).
 *
 * It describes the documented form of a file (snake_case), not every spelling the daemon reads
 * (camelCase, decimal strings for integers): the validator remains the judge, and its messages
 * name what a schema cannot, such as a name used twice.
 */
import type { AnyShape, JsonSchema } from './fields.js';
import { healthCheckFieldsByType, healthCheckRequired, specShape } from './schema.js';
import { shapeSchema, snakeCase } from './section.js';
import { healthCheckTypes, type HealthCheckSpec } from './types.js';

/** Where the package keeps the generated schema, from its root. */
export const specSchemaFile = 'schema/process-spec.schema.json';

const draft = 'http://json-schema.org/draft-07/schema#';

/** A section's schema with more rules beside its fields' own. */
function withRules(shape: AnyShape | undefined, rules: JsonSchema): JsonSchema {
  const base = shapeSchema(shape ?? {});
  const allOf = [...((base.allOf as JsonSchema[] | undefined) ?? []), ...((rules.allOf as JsonSchema[] | undefined) ?? [])];
  return { ...base, ...rules, ...(allOf.length > 0 && { allOf }) };
}

/** Each type needs its one field and takes no field of another type (complete.ts's rules). */
function healthCheckSchema(): JsonSchema {
  const specific = new Set(Object.values(healthCheckFieldsByType).flat());
  return withRules(specShape.healthCheck.shape, {
    required: ['type'],
    allOf: healthCheckTypes.map((type) => {
      const own = new Set<keyof HealthCheckSpec>(healthCheckFieldsByType[type]);
      const foreign = [...specific].filter((key) => !own.has(key));
      return {
        if: { properties: { type: { const: type } }, required: ['type'] },
        then: { required: [snakeCase(healthCheckRequired[type])], properties: Object.fromEntries(foreign.map((key) => [snakeCase(key), false])) },
      };
    }),
  });
}

/** A worker runs a module; an exec runtime takes no module or export. */
function runtimeSchema(): JsonSchema {
  return withRules(specShape.runtime.shape, {
    allOf: [
      {
        if: { properties: { kind: { const: 'worker' } }, required: ['kind'] },
        then: { required: ['module'] },
        else: { properties: { module: false, export: false } },
      },
    ],
  });
}

function processSpecSchema(): JsonSchema {
  const spec = shapeSchema(specShape as AnyShape);
  return {
    ...spec,
    properties: { ...(spec.properties as Record<string, JsonSchema>), health_check: healthCheckSchema(), runtime: runtimeSchema() },
    // A worker's command is its module.
    anyOf: [
      { required: ['command'] },
      { required: ['runtime'], properties: { runtime: { required: ['kind'], properties: { kind: { const: 'worker' } } } } },
    ],
  };
}

export function specJsonSchema(): JsonSchema {
  const spec = { $ref: '#/definitions/processSpec' };
  // In a list, a spec has no file name to take its name from.
  const named = { allOf: [spec, { required: ['name'] }] };
  return {
    $schema: draft,
    title: 'statevisor process spec',
    description:
      'A statevisor config file: one process spec (its name defaults to the file name), a list of them, or { processes: [...] }. Printed by `statevisor schema`.',
    definitions: { processSpec: processSpecSchema() },
    anyOf: [
      spec,
      { type: 'array', items: named },
      { type: 'object', properties: { processes: { type: 'array', items: named } }, required: ['processes'], additionalProperties: false },
    ],
  };
}

/** The schema as the package's file holds it and `statevisor schema` prints it. */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
