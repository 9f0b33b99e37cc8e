// The form and the record page load on first use, or when the find page has shown and the
// browser is idle (FindPage): never in competition with the first screen's own requests.
export const loadRegisterPage = () => import('../register/RegisterPage')
export const loadRecordPage = () => import('../record/RecordPage')
