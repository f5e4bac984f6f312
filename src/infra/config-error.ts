/**
 * A setting that cannot be used (bad number, missing secret): `main` prints its message and
 * exits. In infra/ so that the configs of the parts (limits, security, realtime) can throw it
 * without importing config.ts, which imports them.
 */
export class ConfigError extends Error {}
