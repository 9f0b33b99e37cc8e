/**
 * The stand-in's own pages (eSignet's oidc-ui does the same job in production): server-rendered
 * HTML with plain forms, no scripts and no external assets, so they work in any browser, in a
 * popup and under a strict Content-Security-Policy.
 */

export const PAGE_CSP =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"

function escapeHtml(value: string): string {
    return value
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;')
}

const CLAIM_LABELS: Record<string, string> = {
    name: 'Full name',
    given_name: 'Given name',
    family_name: 'Family name',
    middle_name: 'Middle name',
    gender: 'Gender',
    birthdate: 'Date of birth',
    phone_number: 'Phone number',
    phone_number_verified: 'Phone number verified',
    email: 'E-mail address',
    picture: 'Photo',
    address: 'Address',
    individual_id: 'National ID number',
    registration_type: 'Registration type',
    updated_at: 'Last updated',
    locale: 'Preferred language',
}

function claimLabel(claim: string): string {
    return CLAIM_LABELS[claim] ?? claim
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f3f5f7;color:#1b1f23;margin:0;line-height:1.5}
main{max-width:26rem;margin:2rem auto;background:#fff;border:1px solid #c9d1d9;border-radius:8px;padding:1.5rem 2rem}
h1{font-size:1.35rem;margin:0 0 .5rem}
p.client{color:#404a55;margin-top:0}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=text]{font-size:1.1rem;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #6e7781;border-radius:4px}
input:focus,button:focus{outline:3px solid #0b5cad;outline-offset:2px}
.actions{display:flex;gap:.75rem;margin-top:1.25rem;flex-wrap:wrap}
button{font-size:1rem;padding:.55rem 1.2rem;border-radius:4px;border:1px solid #0b5cad;cursor:pointer}
button.primary{background:#0b5cad;color:#fff}
button.secondary{background:#fff;color:#0b5cad}
.error{background:#fde8e8;border:1px solid #b42318;color:#7a1a12;padding:.6rem .8rem;border-radius:4px}
.hint{color:#404a55;font-size:.9rem}
fieldset{border:1px solid #c9d1d9;border-radius:4px;margin:1rem 0;padding:.5rem 1rem}
legend{font-weight:600;padding:0 .25rem}
ul.claims{margin:.25rem 0;padding-left:1.25rem}
.check{display:flex;gap:.5rem;align-items:center;margin:.35rem 0;font-weight:400}
`

function layout(title: string, body: string): string {
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - eSignet (development)</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`
}

function errorBlock(error: string | undefined, description: string | undefined): string {
    if (!error) {
        return ''
    }
    return `<p class="error" role="alert" id="form-error" data-error-code="${escapeHtml(error)}">${escapeHtml(
        description ?? error
    )} <span class="hint">(${escapeHtml(error)})</span></p>`
}

function cancelForm(action: string): string {
    return `<form method="post" action="${escapeHtml(action)}/cancel">
<button type="submit" class="secondary">Cancel</button>
</form>`
}

export interface PageContext {
    /** e.g. /esignet-ui/interaction/<uid> */
    action: string
    clientName: string
    error?: string
    errorDescription?: string
}

export function loginPage(ctx: PageContext & { individualId?: string }): string {
    const describedBy = ctx.error ? ' aria-describedby="form-error" aria-invalid="true"' : ''
    return layout(
        'Sign in',
        `<h1>Sign in with your National ID</h1>
<p class="client">${escapeHtml(ctx.clientName)} wants to verify who you are.</p>
${errorBlock(ctx.error, ctx.errorDescription)}
<form method="post" action="${escapeHtml(ctx.action)}/login">
<label for="individualId">Individual ID (UIN or VID)</label>
<input type="text" id="individualId" name="individualId" inputmode="numeric" autocomplete="off" required
 pattern="[0-9 ]{5,25}" value="${escapeHtml(ctx.individualId ?? '')}"${describedBy}>
<div class="actions"><button type="submit" class="primary">Get OTP</button></div>
</form>
${cancelForm(ctx.action)}`
    )
}

export function otpPage(ctx: PageContext & { maskedTargets: string[] }): string {
    const targets =
        ctx.maskedTargets.length > 0
            ? ctx.maskedTargets.map(escapeHtml).join(' and ')
            : 'your registered contact'
    const describedBy = ctx.error
        ? ' aria-describedby="form-error otp-hint" aria-invalid="true"'
        : ' aria-describedby="otp-hint"'
    return layout(
        'Enter OTP',
        `<h1>Enter the one-time password</h1>
<p class="client">We sent a 6-digit code to ${targets}.</p>
${errorBlock(ctx.error, ctx.errorDescription)}
<form method="post" action="${escapeHtml(ctx.action)}/otp">
<label for="otp">One-time password</label>
<input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" required
 maxlength="6" pattern="[0-9]{6}"${describedBy}>
<p class="hint" id="otp-hint">Development stand-in: the code is always 111111.</p>
<div class="actions"><button type="submit" class="primary">Verify</button></div>
</form>
${cancelForm(ctx.action)}`
    )
}

export function consentPage(
    ctx: PageContext & { essential: string[]; voluntary: string[]; previouslyDeclined: string[] }
): string {
    const essential =
        ctx.essential.length > 0
            ? `<fieldset><legend>Required (cannot be declined)</legend><ul class="claims">${ctx.essential
                  .map((claim) => `<li>${escapeHtml(claimLabel(claim))}</li>`)
                  .join('')}</ul></fieldset>`
            : ''
    const voluntary =
        ctx.voluntary.length > 0
            ? `<fieldset><legend>Optional (untick to keep private)</legend>${ctx.voluntary
                  .map(
                      (claim) =>
                          `<label class="check"><input type="checkbox" name="claim" value="${escapeHtml(claim)}"${
                              ctx.previouslyDeclined.includes(claim) ? '' : ' checked'
                          }> ${escapeHtml(claimLabel(claim))}</label>`
                  )
                  .join('\n')}</fieldset>`
            : ''
    const nothing =
        ctx.essential.length === 0 && ctx.voluntary.length === 0
            ? '<p>Only a pseudonymous identifier will be shared, no personal details.</p>'
            : ''
    return layout(
        'Consent',
        `<h1>Share your details</h1>
<p class="client">${escapeHtml(ctx.clientName)} asks for the following details from your national ID record.</p>
${errorBlock(ctx.error, ctx.errorDescription)}
<form method="post" action="${escapeHtml(ctx.action)}/consent">
${essential}
${voluntary}
${nothing}
<div class="actions"><button type="submit" class="primary">Allow</button></div>
</form>
${cancelForm(ctx.action)}`
    )
}

export function errorPage(error: string, description: string | undefined): string {
    return layout(
        'Error',
        `<h1>Something went wrong</h1>
<p class="error" role="alert" data-error-code="${escapeHtml(error)}">${escapeHtml(description ?? error)}</p>
<p>Error code: <code id="error-code">${escapeHtml(error)}</code></p>
<p class="hint">Close this window and start again from the application you came from.</p>`
    )
}
