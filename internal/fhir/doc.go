// Package fhir builds and validates the FHIR R4 Observations that medexchain
// devices produce: heart rate, oxygen saturation and a blood pressure panel,
// each coded with LOINC and with the IEEE 11073-10101 (MDC) nomenclature a
// personal health device reports, values in UCUM units.
//
// It is deliberately small: the three vital-sign kinds of the HL7 vital-signs
// profile that the device simulator emits, and a validator that a reader can
// run on a decrypted payload. Decimal values are carried as their exact
// decimal text (no floating point), so a resource round-trips byte for byte.
package fhir
