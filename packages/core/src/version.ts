/** The version written into saved programs' metadata. */
export const SIGIL_VERSION = '0.1.0';
