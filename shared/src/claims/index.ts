export * from './config'
export * from './normalise'
export * from './map-claims'
