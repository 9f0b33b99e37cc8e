export * from './anc-config'
export * from './AncConfigProvider'
export * from '../stored/problem'
export * from './useAncConfig'
