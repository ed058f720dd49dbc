package main

import (
	"context"
	"fmt"
	"time"

	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/tests/hostile/malformed"
)

// signer is one account of the story: a txclient over the node, used for
// the setup (simulated gas, waits for the block) and, step by step, for the
// cases (fixed gas, the committed sequence read before each).
type signer struct {
	role    malformed.Role
	addr    sdk.AccAddress
	chainID string
	kr      keyring.Keyring
	c       *txclient.Client
}

// signers opens the keyring's key of every role (names: role → key name,
// the -keys flag) as a signer over the driver's node.
func (d *driver) signers(kr keyring.Keyring, names map[malformed.Role]string) error {
	d.sig = map[malformed.Role]*signer{}
	for role, name := range names {
		rec, err := kr.Key(name)
		if err != nil {
			return fmt.Errorf("key %q (%s) in %s: %w", name, role, d.cfg.home, err)
		}
		addr, err := rec.GetAddress()
		if err != nil {
			return err
		}
		cctx := d.cctx.WithKeyring(kr).WithFromName(name).WithFromAddress(addr).
			WithBroadcastMode(flags.BroadcastSync).WithSkipConfirmation(true).WithCmdContext(context.Background())
		txf := tx.Factory{}.WithTxConfig(cctx.TxConfig).WithAccountRetriever(cctx.AccountRetriever).WithKeybase(kr).
			WithChainID(d.cfg.chainID).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT).WithFromName(name).
			WithSimulateAndExecute(true).WithGasAdjustment(txclient.DefaultGasAdjustment).
			WithGasPrices(fmt.Sprintf("%g%s", d.cfg.gasPrice, d.cfg.denom))
		d.sig[role] = &signer{role: role, addr: addr, chainID: d.cfg.chainID, kr: kr, c: txclient.New(cctx, txf, txclient.Options{Wait: true, Timeout: 30 * time.Second})}
	}
	return nil
}

// send is one setup tx: simulated, signed, waited for; a refusal fails.
func (s *signer) send(ctx context.Context, msgs ...sdk.Msg) (*txclient.Included, error) {
	in, err := s.c.Send(ctx, msgs...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.role, err)
	}
	return in, nil
}

// sign is a malformed.Signer at the signer's committed sequence (a case
// refused at CheckTx leaves it; one in a block moves it).
func (s *signer) sign(ctx context.Context, msgs []sdk.Msg, gas uint64, editBody func([]byte) []byte) ([]byte, error) {
	num, seq, err := s.c.Account(ctx)
	if err != nil {
		return nil, err
	}
	bz, err := s.c.SignAt(ctx, num, seq, gas, msgs...)
	if err != nil || editBody == nil {
		return bz, err
	}
	return malformed.Resign(bz, s.chainID, num, editBody, func(doc []byte) ([]byte, error) {
		sig, _, err := s.kr.SignByAddress(s.addr, doc, signing.SignMode_SIGN_MODE_DIRECT)
		return sig, err
	})
}

// deliverKeep is a setup tx whose signed bytes the cases replay.
func (s *signer) deliverKeep(ctx context.Context, msgs ...sdk.Msg) ([]byte, *txclient.Result, error) {
	num, seq, err := s.c.Account(ctx)
	if err != nil {
		return nil, nil, err
	}
	gas, err := s.c.Gas(ctx, num, seq, msgs...)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.role, err)
	}
	bz, err := s.c.SignAt(ctx, num, seq, gas, msgs...)
	if err != nil {
		return nil, nil, err
	}
	hash, err := s.c.Submit(ctx, bz)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.role, err)
	}
	res, err := s.wait(ctx, hash)
	if err != nil {
		return nil, nil, err
	}
	if res.Code != 0 {
		return nil, nil, fmt.Errorf("%s: tx %s failed: %s code %d: %s", s.role, hash, res.Codespace, res.Code, res.Log)
	}
	return bz, res, nil
}

// wait polls the node until tx hash is in a block.
func (s *signer) wait(ctx context.Context, hash string) (*txclient.Result, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := s.c.LookupTx(ctx, hash)
		if err != nil {
			return nil, err
		}
		if res != nil {
			return res, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("tx %s not in a block after 30 s", hash)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
