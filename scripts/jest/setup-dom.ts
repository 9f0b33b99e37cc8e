import '@testing-library/jest-dom'
import i18n from '@dhis2/d2-i18n'

// The app adapter does this when an app loads (localeUtils.js): generated locales and custom
// translations live in the 'default' namespace, not i18next's 'translation'.
i18n.setDefaultNamespace('default')
