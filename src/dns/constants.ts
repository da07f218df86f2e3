/** DNS codes and limits (RFC 1035, RFC 6762 for mDNS). */

/** Record types we read and write; others are kept as raw bytes. */
export const DnsType = Object.freeze({ A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 })

/** The Internet class. */
export const DNS_CLASS_IN = 1

/**
 * Top bit of a record's class in mDNS: "cache-flush" in answers, "unicast
 * response requested" (QU) in questions (RFC 6762 §10.2, §5.4). Not part of the class.
 */
export const MDNS_CLASS_FLAG = 0x8000

/**
 * Largest message decoded or encoded: 9000 bytes, RFC 6762 §17's cap for a
 * multicast DNS message (jumbo-frame sized); unicast DNS over UDP stays
 * under it too. A larger datagram is refused before any parsing.
 */
export const MAX_DNS_MESSAGE_SIZE = 9000

/**
 * Most records (questions included) in one message: 256. A record needs at
 * least 11 bytes, so 9000 bytes could claim ~800; real mDNS and TXT answers
 * carry a handful. Bounds the work and memory a single datagram can cost.
 */
export const MAX_DNS_RECORDS = 256

/**
 * Most compression pointers followed while reading one name: 32. Pointers
 * must also point strictly before the label they replace, so a loop is
 * impossible; the count bounds the work of a long backward chain.
 */
export const MAX_DNS_POINTER_JUMPS = 32

/** Longest name, in wire bytes: 255 (RFC 1035 §2.3.4). */
export const MAX_DNS_NAME_LENGTH = 255

/** Longest label: 63 bytes (RFC 1035 §2.3.4; the top two bits of the length byte mark pointers). */
export const MAX_DNS_LABEL_LENGTH = 63

/** Longest character-string (one TXT entry): 255 bytes, its one-byte length (RFC 1035 §3.3). */
export const MAX_DNS_STRING_LENGTH = 255
