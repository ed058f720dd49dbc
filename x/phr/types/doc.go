// Package types holds the phr module's messages, stored types, params, genesis,
// registered errors, gas constants and store prefixes.
package types
