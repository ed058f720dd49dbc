// Package keeper holds the audit log's state (entries, head, indexes by patient
// and actor), appends entries for other modules, and serves the queries.
package keeper
