// @anc/shared/app: the root every app puts around its pages (language, texts, react-query).
export { AppRoot } from './AppRoot'
