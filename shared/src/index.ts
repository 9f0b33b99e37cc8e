// Public surface of @anc/shared. Each concern lives in its own folder under src/; import from
// here in apps so that a folder's internals can move without touching them.
export * from './metadata/ids'
export * from './i18n/languages'
