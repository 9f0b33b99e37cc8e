#!/usr/bin/env node
// Fills translations into i18n/<lang>.po from a JSON file {"<English msgid>": "<translation>"}:
//   node scripts/translate.mjs si translations-si.json
// Used by translators and developers who add strings; msgids not in the catalogue are reported.
import { readFileSync, writeFileSync } from 'node:fs'
import gettextParser from 'gettext-parser'

const [language, jsonFile] = process.argv.slice(2)
if (!language || !jsonFile) {
    console.error('usage: node scripts/translate.mjs <si|ta> <file.json>')
    process.exit(2)
}
const poFile = `i18n/${language}.po`
const po = gettextParser.po.parse(readFileSync(poFile), 'utf-8')
const updates = JSON.parse(readFileSync(jsonFile, 'utf8'))
let changed = 0
for (const [msgid, msgstr] of Object.entries(updates)) {
    const entry = po.translations['']?.[msgid]
    if (!entry) {
        console.warn(`not in the catalogue: ${msgid}`)
        continue
    }
    entry.msgstr = [msgstr]
    changed += 1
}
writeFileSync(poFile, gettextParser.po.compile(po, { foldLength: 0 }).toString('utf8') + '\n')
console.log(`${poFile}: ${changed} translations set`)
