// @anc/shared/routing: the page in the URL hash, the same way in every app.
export { createHashRouter } from './hash-router'
