// Public surface of @anc/shared. Each concern lives in its own folder under src/; apps import
// from here so that a folder's internals can move without touching them.
// Not re-exported: esignet/esignet-callback.ts, a page script that runs on load (each app's
// esignet-callback.html bundles it).
export * from './anc'
export * from './claims'
export * from './config'
export * from './esignet'
export * from './fhir'
export * from './i18n/languages'
export * from './i18n/useLanguage'
export * from './metadata/ids'
export * from './phn'
export * from './tracker'
export * from './ui'
