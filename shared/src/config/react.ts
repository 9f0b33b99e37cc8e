// @anc/shared/config/react: the settings for an app's pages (loader, error, warning) and the
// hook that reads them below the provider.
export { AncConfigProvider } from './AncConfigProvider'
export { useLoadedAncConfig } from './useAncConfig'
