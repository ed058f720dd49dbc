package cli

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/input"

	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

const (
	flagOut            = "out"
	flagEpoch          = "epoch"
	flagPassphraseFile = "passphrase-file"
	// PassphraseEnv is read when --passphrase-file is not given (scripts).
	PassphraseEnv = "MEDEXCHAIN_PASSPHRASE"
)

// NewCryptoCmd is `medexchaind phr`: the steps that handle secret keys run
// here, on files, and never inside a node.
func NewCryptoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "phr",
		Short: "Patient and hospital crypto on local files (keys, grants, decryption)",
	}
	cmd.AddCommand(keygenCmd(), grantCmd(), decryptCmd())
	return cmd
}

func keygenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keygen [vault|requester|proxy|device]",
		Short: "Generate a key pair: the secret goes to --out encrypted under a passphrase, the public key to --out.pub and stdout",
		Example: `MEDEXCHAIN_PASSPHRASE=... medexchaind phr keygen vault --out vitals.key
medexchaind phr keygen requester --out hospital.key --passphrase-file pass.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, _ := cmd.Flags().GetString(flagOut)
			if out == "" {
				return errors.New("--out is required: the path of the encrypted secret key file")
			}
			epoch, _ := cmd.Flags().GetUint64(flagEpoch)
			secret, public, err := generate(args[0], epoch)
			if err != nil {
				return err
			}
			pass, err := readPassphrase(cmd, true)
			if err != nil {
				return err
			}
			if err := keys.SaveKeyFile(out, secret, pass, 0); err != nil {
				return err
			}
			pubHex := hex.EncodeToString(public)
			if err := os.WriteFile(out+".pub", []byte(pubHex+"\n"), 0o644); err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), pubHex)
			return err
		},
	}
	cmd.Flags().String(flagOut, "", "path of the encrypted secret key file (must not exist)")
	cmd.Flags().Uint64(flagEpoch, 1, "vault key epoch (vault keys only)")
	cmd.Flags().String(flagPassphraseFile, "", "read the passphrase from this file instead of $"+PassphraseEnv+" or a prompt")
	return cmd
}

type secretKey interface{ MarshalBinary() ([]byte, error) }

func generate(kind string, epoch uint64) (secretKey, []byte, error) {
	switch kind {
	case "vault":
		if epoch == 0 {
			return nil, nil, errors.New("--epoch starts at 1")
		}
		sk, err := keys.GenerateVaultKey(epoch, rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		return sk, sk.Public().Bytes(), nil
	case "requester":
		sk, err := keys.GenerateRequesterKey(rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		return sk, sk.Public().Bytes(), nil
	case "proxy":
		sk, err := keys.GenerateProxyKey(rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		return sk, sk.Public().Bytes(), nil
	case "device":
		sk, err := keys.GenerateDeviceKey(rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		return sk, sk.Public().Bytes(), nil
	}
	return nil, nil, fmt.Errorf("unknown key kind %q: use vault, requester, proxy or device", kind)
}

// PassphraseWithoutPrompt takes --passphrase-file, then $MEDEXCHAIN_PASSPHRASE;
// ok is false when neither is given (daemons stop there, they never prompt).
func PassphraseWithoutPrompt(cmd *cobra.Command) (pass string, ok bool, err error) {
	if path, _ := cmd.Flags().GetString(flagPassphraseFile); path != "" {
		bz, err := os.ReadFile(path)
		if err != nil {
			return "", true, fmt.Errorf("passphrase file: %w", err)
		}
		pass, err = nonEmpty(strings.TrimRight(string(bz), "\r\n"))
		return pass, true, err
	}
	if pass, ok := os.LookupEnv(PassphraseEnv); ok {
		pass, err = nonEmpty(pass)
		return pass, true, err
	}
	return "", false, nil
}

// readPassphrase is PassphraseWithoutPrompt, else a prompt on the terminal
// (twice when confirm is set).
func readPassphrase(cmd *cobra.Command, confirm bool) (string, error) {
	if pass, ok, err := PassphraseWithoutPrompt(cmd); ok {
		return pass, err
	}
	buf := bufio.NewReader(cmd.InOrStdin())
	pass, err := input.GetPassword("Passphrase for the key file:", buf)
	if err != nil {
		return "", err
	}
	if confirm {
		again, err := input.GetPassword("Repeat the passphrase:", buf)
		if err != nil {
			return "", err
		}
		if again != pass {
			return "", errors.New("the passphrases do not match")
		}
	}
	return nonEmpty(pass)
}

func nonEmpty(pass string) (string, error) {
	if pass == "" {
		return "", errors.New("the passphrase is empty")
	}
	return pass, nil
}
