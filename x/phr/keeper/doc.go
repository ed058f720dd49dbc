// Package keeper is the phr state machine: collections for every entity, the
// chain firewall's validation core, the msg and query servers, and the end
// blocker's bounded expiry.
package keeper
