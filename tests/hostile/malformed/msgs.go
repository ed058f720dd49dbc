package malformed

import sdk "github.com/cosmos/cosmos-sdk/types"

func msgs(m ...sdk.Msg) []sdk.Msg { return m }
