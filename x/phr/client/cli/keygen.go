package cli

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

const (
	flagOut   = "out"
	flagEpoch = "epoch"
)

// NewCryptoCmd is `medexchaind phr`: the steps that handle secret keys run
// here, on files, and never inside a node.
func NewCryptoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "phr",
		Short: "Patient and hospital crypto on local files (keys, grants, decryption)",
	}
	cmd.AddCommand(keygenCmd(), grantCmd(), decryptCmd(), decryptRemoteCmd())
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
			pass, err := keyfile.ReadPassphrase(cmd, true)
			if err != nil {
				return err
			}
			if err := keyfile.Save(out, secret, pass, 0); err != nil {
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
	keyfile.AddPassphraseFlag(cmd)
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
