const shared = require('../d2.config.shared.js')

// The patient app IS the DHIS2 login app: DHIS2 serves only an installed app named exactly
// `login` publicly (/api/apps/login/**), and it replaces DHIS2's own login page, so it must
// also be a complete staff sign-in.
/** @type {import('@dhis2/cli-app-scripts').D2Config} */
const config = {
    ...shared,
    type: 'login_app',
    name: 'login',
    title: 'ANC Sign-in and My Pregnancy Record',
    description:
        'DHIS2 login page for staff (password or national ID) and the self-service pregnancy record for patients',
}

module.exports = config
