/** The status codes of circuit relay v2 (circuit-v2.md "Protobuf", `enum Status`). */
export const RelayStatus = Object.freeze({
  UNUSED: 0,
  OK: 100,
  RESERVATION_REFUSED: 200,
  RESOURCE_LIMIT_EXCEEDED: 201,
  PERMISSION_DENIED: 202,
  CONNECTION_FAILED: 203,
  NO_RESERVATION: 204,
  MALFORMED_MESSAGE: 400,
  UNEXPECTED_MESSAGE: 401
})

export type RelayStatusCode = typeof RelayStatus[keyof typeof RelayStatus]

/** The spec's name of a status code, for error messages ('UNKNOWN(n)' for others). */
export function statusName (status: number | undefined): string {
  for (const [name, code] of Object.entries(RelayStatus)) if (code === status) return name
  return `UNKNOWN(${String(status)})`
}
