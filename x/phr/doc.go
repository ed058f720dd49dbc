// Package phr is the personal health record module: the registry of patients,
// vaults, members and devices, encrypted records, access grants, re-encryption
// tasks and the shares the chain combines from proxies' answers
// (docs/design.md, docs/protocol.md).
package phr
