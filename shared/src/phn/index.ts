export * from './check-digits'
export * from './phn'
