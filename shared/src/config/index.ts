export * from './anc-config'
export * from './AncConfigProvider'
export * from './problem'
export * from './useAncConfig'
