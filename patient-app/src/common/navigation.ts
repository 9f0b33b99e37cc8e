import { createContext, useContext } from 'react'

/**
 * Leaving the login page (into DHIS2 after sign-in, or to an OIDC provider) goes through this,
 * so tests can see where the page would go without jsdom navigating.
 */
export type Navigate = (url: string) => void

export const NavigationContext = createContext<Navigate>((url) => window.location.assign(url))

export const useNavigate = (): Navigate => useContext(NavigationContext)
