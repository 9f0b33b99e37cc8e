import { writeFileSync } from 'node:fs'
import { OPENAPI_PATH, renderOpenApi } from './openapi'

// `npx tsx relay/src/write-openapi.ts`: regenerate relay/openapi.json after changing a route schema.
void renderOpenApi().then((text) => {
    writeFileSync(OPENAPI_PATH, text)
    process.stdout.write(`wrote ${OPENAPI_PATH}\n`)
})
