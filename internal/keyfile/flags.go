package keyfile

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/input"
)

const (
	// FlagPassphraseFile names the file a command reads the passphrase from.
	FlagPassphraseFile = "passphrase-file"
	// PassphraseEnv is read when --passphrase-file is not given (scripts).
	PassphraseEnv = "MEDEXCHAIN_PASSPHRASE"
)

// AddPassphraseFlag adds --passphrase-file to cmd.
func AddPassphraseFlag(cmd *cobra.Command) {
	cmd.Flags().String(FlagPassphraseFile, "", "read the key file passphrase from this file instead of $"+PassphraseEnv+" or a prompt")
}

// PassphraseWithoutPrompt takes --passphrase-file, then $MEDEXCHAIN_PASSPHRASE;
// ok is false when neither is given (daemons stop there, they never prompt).
func PassphraseWithoutPrompt(cmd *cobra.Command) (pass string, ok bool, err error) {
	if path, _ := cmd.Flags().GetString(FlagPassphraseFile); path != "" {
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

// ReadPassphrase is PassphraseWithoutPrompt, else a prompt on the terminal
// (twice when confirm is set).
func ReadPassphrase(cmd *cobra.Command, confirm bool) (string, error) {
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

// FromFlag loads the key file named by cmd's --<flag> as kind k, with the
// passphrase from --passphrase-file or $MEDEXCHAIN_PASSPHRASE, or (when
// prompt is set) from the terminal. Every error names the flag.
func FromFlag[K any](cmd *cobra.Command, flag string, k Kind[K], prompt bool) (K, error) {
	var zero K
	path, _ := cmd.Flags().GetString(flag)
	if path == "" {
		return zero, fmt.Errorf("--%s is required: the encrypted %s key file", flag, k)
	}
	var pass string
	var err error
	if prompt {
		pass, err = ReadPassphrase(cmd, false)
	} else {
		var ok bool
		if pass, ok, err = PassphraseWithoutPrompt(cmd); !ok {
			return zero, fmt.Errorf("no passphrase for --%s: give --%s or set $%s", flag, FlagPassphraseFile, PassphraseEnv)
		}
	}
	if err != nil {
		return zero, err
	}
	key, err := Load(path, pass, k)
	if err != nil {
		return zero, fmt.Errorf("--%s %w", flag, err)
	}
	return key, nil
}
