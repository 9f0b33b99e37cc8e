/**
 * Phone first (360 px wide and up); two columns from 840 px. Every control is at least 44 px
 * high (WCAG 2.5.5 target size) and full width on phones, where thumbs do the tapping.
 */
export const pageStyles = `
.anc-login { min-height: 100vh; background: #f3f5f7; color: #212934; font-size: 16px; line-height: 1.5; }
.anc-login h1 { font-size: 20px; margin: 0; }
.anc-login h2 { font-size: 18px; margin: 0 0 12px; }
.anc-login h3 { font-size: 16px; margin: 0 0 8px; }
.anc-login h4 { font-size: 15px; margin: 0 0 4px; font-weight: 500; }
.anc-login__header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; justify-content: space-between; padding: 12px 16px; background: #fff; border-bottom: 1px solid #d5dde5; }
.anc-login__brand { display: flex; gap: 12px; align-items: center; }
.anc-login__logo { max-height: 48px; max-width: 160px; }
.anc-login__language { min-width: 160px; }
.anc-login__main { max-width: 1040px; margin: 0 auto; padding: 16px 12px 32px; }
.anc-login__cards { display: grid; gap: 16px; grid-template-columns: 1fr; }
.anc-login__footer { display: flex; justify-content: space-between; padding: 12px 16px; font-size: 14px; }
.anc-card { background: #fff; border: 1px solid #d5dde5; border-radius: 8px; padding: 16px; margin-bottom: 16px; }
.anc-login__cards .anc-card { margin-bottom: 0; }
.anc-card--patient { border-top: 4px solid #147cd7; }
.anc-card--next { border-left: 4px solid #147cd7; }
.anc-next__date { font-size: 20px; font-weight: 500; margin: 0 0 4px; }
.anc-gap { margin: 12px 0; }
.anc-actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
.anc-login button[data-test='dhis2-uicore-button'] { height: auto; min-height: 44px; padding-top: 8px; padding-bottom: 8px; white-space: normal; line-height: 1.3; }
.anc-login input { min-height: 44px; box-sizing: border-box; }
.anc-login form > * { margin-bottom: 12px; }
.anc-oidc { display: flex; flex-direction: column; gap: 8px; margin-top: 8px; }
.anc-divider { text-align: center; color: #4a5768; margin: 12px 0 4px; }
.anc-muted { color: #4a5768; }
.anc-loading { display: flex; gap: 12px; align-items: center; justify-content: center; padding: 24px; }
.anc-record__header { display: flex; flex-wrap: wrap; gap: 8px; justify-content: space-between; align-items: center; margin-bottom: 16px; }
.anc-record dl { margin: 8px 0 0; }
.anc-detail { display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 6px 0; border-bottom: 1px solid #eef1f4; }
.anc-detail dt { flex: 1 1 12em; color: #4a5768; }
.anc-detail dd { flex: 1 1 8em; margin: 0; font-weight: 500; }
.anc-list { list-style: none; margin: 0; padding: 0; }
.anc-list > li { display: flex; flex-direction: column; padding: 10px 0; border-bottom: 1px solid #eef1f4; }
@media (max-width: 599px) {
    .anc-actions > button, .anc-oidc > button, .anc-card--patient > button, .anc-login form .anc-actions > button { width: 100%; }
}
@media (min-width: 840px) {
    .anc-login__cards { grid-template-columns: 1fr 1fr; align-items: start; }
    .anc-login__main { padding: 32px 24px; }
}
`
