module github.com/medexchain/medexchain

go 1.26.5

replace github.com/syndtr/goleveldb => github.com/syndtr/goleveldb v1.0.1-0.20210819022825-2ae1ddf74ef7

replace github.com/99designs/keyring => github.com/cosmos/keyring v1.2.0

require (
	cosmossdk.io/client/v2 v2.11.0 // indirect
	filippo.io/age v1.3.2 // indirect
	filippo.io/hpke v0.4.0 // indirect
	github.com/cloudflare/circl v1.6.5 // indirect
	github.com/cometbft/cometbft v0.39.4 // indirect
	github.com/cosmos/cosmos-sdk v0.54.4 // indirect
	github.com/cosmos/gogoproto v1.7.2 // indirect
	github.com/cosmos/ibc-go/v11 v11.2.0 // indirect
	github.com/gtank/ristretto255 v0.1.2 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
