// @anc/shared/phn: the Personal Health Number: format, check digit, display.
export {
    checkPhn,
    DEFAULT_PHN_CONFIG,
    formatPhnForDisplay,
    mergePhnConfig,
    phnFromSerial,
    phnLength,
    type PhnCheck,
    type PhnConfig,
} from './phn'
