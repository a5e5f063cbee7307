/**
 * Lower modules read a few behaviours from higher ones (the member view's columns from points
 * and benefits, upgrade gifts on a tier move). They are installed explicitly, once per process,
 * by `registerCoreExtensions()` (`@unionpoint/core/extensions`); never by importing a module.
 * A use case that needs them in a process that never installed them throws this, rather than
 * quietly leaving coupons, gifts or view fields out.
 */
export class ExtensionsNotRegisteredError extends Error {
  constructor(what: string) {
    super(`${what} needs the core extensions: call registerCoreExtensions() from @unionpoint/core/extensions once at process start`);
    this.name = 'ExtensionsNotRegisteredError';
  }
}

export function extensionsNotRegistered(what: string): never {
  throw new ExtensionsNotRegisteredError(what);
}
