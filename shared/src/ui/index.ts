// @anc/shared/ui: @dhis2/ui components the three apps share.
export { formatGestationalAgeText, rangeMessage } from './format'
export { LanguageSwitch } from './LanguageSwitch'
export { PatientBanner } from './PatientBanner'
export { PendingSyncIndicator } from './PendingSyncIndicator'
export { PhnCard } from './PhnCard'
export { EmptyState, ErrorState } from './States'
export { VerifiedBadge } from './VerifiedBadge'
export { VisitTimeline, type TimelineVisit } from './VisitTimeline'
