/** Errors of mDNS discovery. */

/** The mDNS socket could not be opened (port, group membership) or failed later. */
export class MdnsSocketError extends Error {
  override name = 'MdnsSocketError'
}

/** This runtime has no UDP multicast (browsers). */
export class MdnsUnsupportedError extends Error {
  override name = 'MdnsUnsupportedError'
}
