// Validates the golden canonical records of tests/core/model/golden against the
// published JSON Schemas in sdk/schemas with ajv, the validator most partners
// and plugin authors will use. The C++ model_test reads the same files, so
// the model and the schemas are held to one set of examples.
//
//   node validate_goldens.mjs [--node-modules DIR] [--schemas DIR] [--goldens DIR]
//
// valid/*.json must pass. Each invalid/*.json has an .expected sidecar that
// lists the errors the C++ model reports, each marked "in_schema": whether a
// JSON Schema can express that rule. The schemas must report every in_schema
// error at the same field; a record whose errors are all C++-only (VIN check
// digit, date order, arithmetic on counts, duplicate keys that JSON.parse
// drops) must pass, which proves the rest of the record is right.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SCHEMA_BASE = 'https://lendgate.example/schemas/1.0/';

function option(name, fallback) {
    const index = process.argv.indexOf(name);
    return index >= 0 && index + 1 < process.argv.length ? resolve(process.argv[index + 1]) : fallback;
}

const nodeModules = option('--node-modules', resolve(here, '..', 'node_modules'));
const schemaDir = option('--schemas', resolve(here, '..', '..', 'sdk', 'schemas'));
const goldenDir = option('--goldens', resolve(here, '..', 'core', 'model', 'golden'));

if (!existsSync(join(nodeModules, 'ajv')) || !existsSync(join(nodeModules, 'ajv-formats'))) {
    console.error(`ajv is not installed in ${nodeModules}; run: npm ci --prefix tests`);
    process.exit(2);
}
// Loaded from an explicit folder so the test can run against any install of tests/package-lock.json.
const require = createRequire(join(nodeModules, 'resolve-from-here.cjs'));
const Ajv = require('ajv').default;
const addFormats = require('ajv-formats').default;

// Strict mode catches schema mistakes (unknown keywords, ignored keywords, type
// confusion). strictRequired alone is off: draft-07 conditionals ("if event is
// X then require Y") name properties defined in the enclosing object, which
// that rule does not follow.
const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
addFormats(ajv);

const schemaFiles = readdirSync(schemaDir).filter((name) => name.endsWith('.schema.json')).sort();
for (const name of schemaFiles) {
    const schema = JSON.parse(readFileSync(join(schemaDir, name), 'utf8'));
    if (schema.$id !== SCHEMA_BASE + name) throw new Error(`${name}: $id must be ${SCHEMA_BASE + name}`);
    ajv.addSchema(schema);
}

let passed = 0;
let failed = 0;
function report(ok, label, detail) {
    if (ok) {
        passed += 1;
        console.log(`ok   ${label}`);
    } else {
        failed += 1;
        console.log(`FAIL ${label}${detail ? `\n     ${detail}` : ''}`);
    }
}

function describeErrors(errors) {
    return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.keyword}: ${e.message}`).join('; ');
}

// Each schema must compile on its own: a broken $ref would otherwise only show for the goldens that reach it.
const messageTypes = JSON.parse(readFileSync(join(schemaDir, 'envelope.schema.json'), 'utf8')).properties.message_type
    .enum;
for (const name of schemaFiles) {
    let error = null;
    try {
        ajv.getSchema(SCHEMA_BASE + name);
    } catch (e) {
        error = e.message;
    }
    report(error === null, `schema ${name} compiles`, error);
}
for (const type of messageTypes) {
    report(schemaFiles.includes(`${type}.schema.json`), `schema for message type ${type} exists`);
}

// Whether an ajv error is about the field the C++ model blames. ajv reports a
// missing or unknown member at its parent object, and rules that span several
// members or items (oneOf, if/then, contains, uniqueItems) at the object or
// array that holds them.
function blames(error, pointer) {
    const member = error.params?.missingProperty ?? error.params?.additionalProperty;
    if (error.instancePath === pointer) return true;
    if (member !== undefined && `${error.instancePath}/${member}` === pointer) return true;
    const spanning = ['oneOf', 'if', 'contains', 'uniqueItems'].includes(error.keyword);
    return spanning && pointer.startsWith(`${error.instancePath}/`);
}

// A record is checked against the schema of the type it claims; a record that
// names no known type can only be checked against the envelope.
function validatorFor(record) {
    const type = record && typeof record === 'object' && !Array.isArray(record) ? record.message_type : undefined;
    const name = messageTypes.includes(type) ? `${type}.schema.json` : 'envelope.schema.json';
    return { name, validate: ajv.getSchema(SCHEMA_BASE + name) };
}

function goldens(folder) {
    return readdirSync(join(goldenDir, folder))
        .filter((name) => name.endsWith('.json'))
        .sort();
}

for (const file of goldens('valid')) {
    const record = JSON.parse(readFileSync(join(goldenDir, 'valid', file), 'utf8'));
    const { name, validate } = validatorFor(record);
    const envelope = ajv.getSchema(SCHEMA_BASE + 'envelope.schema.json');
    const ok = validate(record) && envelope(record);
    report(ok, `valid/${file} passes ${name}`, describeErrors(validate.errors ?? envelope.errors));
}

for (const file of goldens('invalid')) {
    const sidecarPath = join(goldenDir, 'invalid', file.replace(/\.json$/, '.expected'));
    const expected = JSON.parse(readFileSync(sidecarPath, 'utf8')).errors;
    if (!Array.isArray(expected) || expected.some((e) => typeof e.in_schema !== 'boolean')) {
        report(false, `invalid/${file}`, 'every sidecar error needs a boolean "in_schema"');
        continue;
    }
    const record = JSON.parse(readFileSync(join(goldenDir, 'invalid', file), 'utf8'));
    const { name, validate } = validatorFor(record);
    const ok = validate(record);
    const inSchema = expected.filter((e) => e.in_schema).map((e) => e.pointer);
    if (inSchema.length === 0) {
        report(ok, `invalid/${file} passes ${name} (C++-only rules)`, describeErrors(validate.errors));
    } else {
        const missed = inSchema.filter((pointer) => !validate.errors?.some((e) => blames(e, pointer)));
        const detail = ok ? 'the schema accepted it'
                          : `no schema error at ${missed.join(', ')}; got: ${describeErrors(validate.errors)}`;
        report(!ok && missed.length === 0, `invalid/${file} fails ${name}`, detail);
    }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
