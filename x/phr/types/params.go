package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Defaults of the phr params.
const (
	// DefaultMaxVaultsPerPatient bounds the state one registration can create.
	DefaultMaxVaultsPerPatient = 16
	// DefaultMaxRecordBytes is the largest envelope bucket (64 KiB).
	DefaultMaxRecordBytes = 64 << 10
	// DefaultTaskTimeoutBlocks: about 100 s at one-second blocks.
	DefaultTaskTimeoutBlocks = 100
	// DefaultMaxRecordsPerFetch bounds the tasks one fetch opens (two per record).
	DefaultMaxRecordsPerFetch = 32
	// DefaultMaxGrantDurationSeconds: a grant lives at most a year.
	DefaultMaxGrantDurationSeconds = 365 * 24 * 3600
	// DefaultMaxExpiriesPerBlock bounds the end blocker's work: each expiry is
	// a few store writes and one audit entry.
	DefaultMaxExpiriesPerBlock = 200
	// MaxMaxExpiriesPerBlock caps the param: an expiry costs about 40k gas of
	// store work (TestExpiryBoundedPerBlock), so the end blocker's worst block
	// stays near 40M gas.
	MaxMaxExpiriesPerBlock = 1000
	// DefaultMaxUploadDelaySeconds: a gateway may hold readings for a day
	// (store-and-forward while the node is unreachable) before uploading.
	DefaultMaxUploadDelaySeconds = 24 * 3600
	// MaxMaxUploadDelaySeconds bounds the param: the longer the delay, the
	// further back a gateway can date a new reading into an old grant.
	MaxMaxUploadDelaySeconds = 30 * 24 * 3600
	// DefaultIBCTimeoutSeconds: a packet not received within ten minutes
	// times out (a Share is then sent again on the next Fetch).
	DefaultIBCTimeoutSeconds = 600
	// MaxIBCTimeoutSeconds is IBC v2's limit on a packet's timeout.
	MaxIBCTimeoutSeconds = 24 * 3600
	// DefaultMaxOutboxSendsPerBlock bounds the end blocker's (re)sends.
	DefaultMaxOutboxSendsPerBlock = 50
	// MaxMaxOutboxSendsPerBlock caps the param: a Share send copies a record
	// of up to 64 KiB into the block's events.
	MaxMaxOutboxSendsPerBlock = 500
)

// DefaultParams leave admission to governance.
func DefaultParams() Params {
	return Params{
		MaxVaultsPerPatient:     DefaultMaxVaultsPerPatient,
		MaxRecordBytes:          DefaultMaxRecordBytes,
		TaskTimeoutBlocks:       DefaultTaskTimeoutBlocks,
		MaxRecordsPerFetch:      DefaultMaxRecordsPerFetch,
		MaxGrantDurationSeconds: DefaultMaxGrantDurationSeconds,
		MaxExpiriesPerBlock:     DefaultMaxExpiriesPerBlock,
		MaxUploadDelaySeconds:   DefaultMaxUploadDelaySeconds,
		IbcTimeoutSeconds:       DefaultIBCTimeoutSeconds,
		MaxOutboxSendsPerBlock:  DefaultMaxOutboxSendsPerBlock,
	}
}

// Validate refuses params outside their bounds (ErrInvalidParams).
func (p Params) Validate() error {
	if p.AdmissionAuthority != "" {
		if _, err := sdk.AccAddressFromBech32(p.AdmissionAuthority); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "admission_authority %q: %v", p.AdmissionAuthority, err)
		}
	}
	switch {
	case p.MaxVaultsPerPatient == 0:
		return errorsmod.Wrap(ErrInvalidParams, "max_vaults_per_patient must be positive")
	case p.MaxRecordBytes == 0:
		return errorsmod.Wrap(ErrInvalidParams, "max_record_bytes must be positive")
	case p.TaskTimeoutBlocks == 0:
		return errorsmod.Wrap(ErrInvalidParams, "task_timeout_blocks must be positive")
	case p.MaxRecordsPerFetch == 0:
		return errorsmod.Wrap(ErrInvalidParams, "max_records_per_fetch must be positive")
	case p.MaxGrantDurationSeconds == 0:
		return errorsmod.Wrap(ErrInvalidParams, "max_grant_duration_seconds must be positive")
	case p.MaxExpiriesPerBlock == 0 || p.MaxExpiriesPerBlock > MaxMaxExpiriesPerBlock:
		return errorsmod.Wrapf(ErrInvalidParams, "max_expiries_per_block must be 1-%d", MaxMaxExpiriesPerBlock)
	case p.MaxUploadDelaySeconds == 0 || p.MaxUploadDelaySeconds > MaxMaxUploadDelaySeconds:
		return errorsmod.Wrapf(ErrInvalidParams, "max_upload_delay_seconds must be 1-%d", MaxMaxUploadDelaySeconds)
	case p.IbcTimeoutSeconds == 0 || p.IbcTimeoutSeconds > MaxIBCTimeoutSeconds:
		return errorsmod.Wrapf(ErrInvalidParams, "ibc_timeout_seconds must be 1-%d", MaxIBCTimeoutSeconds)
	case p.MaxOutboxSendsPerBlock == 0 || p.MaxOutboxSendsPerBlock > MaxMaxOutboxSendsPerBlock:
		return errorsmod.Wrapf(ErrInvalidParams, "max_outbox_sends_per_block must be 1-%d", MaxMaxOutboxSendsPerBlock)
	}
	return nil
}
