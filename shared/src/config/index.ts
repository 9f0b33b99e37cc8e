// @anc/shared/config: the operator's settings from the DHIS2 datastore, read and validated.
// Plain TypeScript (Node can load it: deploy/ validates what it installs with it); the React
// provider and hook are @anc/shared/config/react.
export type { ConfigProblem } from '../stored/problem'
export { ANC_CONFIG_KEYS, mergeAncConfig, type AncConfig, type AncConfigPart } from './anc-config'
