// Package app wires medexchain by hand: ibc-go does not support depinject.
package app

import (
	"encoding/json"
	"fmt"
	"maps"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cast"

	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/log/v2"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/server"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/std"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
	"github.com/cosmos/cosmos-sdk/version"
	authante "github.com/cosmos/cosmos-sdk/x/auth/ante"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	consensuskeeper "github.com/cosmos/cosmos-sdk/x/consensus/keeper"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	slashingkeeper "github.com/cosmos/cosmos-sdk/x/slashing/keeper"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingkeeper "github.com/cosmos/cosmos-sdk/x/staking/keeper"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/cosmos-sdk/x/tx/signing"
	upgradekeeper "github.com/cosmos/cosmos-sdk/x/upgrade/keeper"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/cosmos/ibc-go/v11/modules/apps/transfer"
	transferkeeper "github.com/cosmos/ibc-go/v11/modules/apps/transfer/keeper"
	transfertypes "github.com/cosmos/ibc-go/v11/modules/apps/transfer/types"
	transferv2 "github.com/cosmos/ibc-go/v11/modules/apps/transfer/v2"
	porttypes "github.com/cosmos/ibc-go/v11/modules/core/05-port/types"
	ibcapi "github.com/cosmos/ibc-go/v11/modules/core/api"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibckeeper "github.com/cosmos/ibc-go/v11/modules/core/keeper"
	solomachine "github.com/cosmos/ibc-go/v11/modules/light-clients/06-solomachine"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"

	auditkeeper "github.com/medexchain/medexchain/x/audit/keeper"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr"
	phrkeeper "github.com/medexchain/medexchain/x/phr/keeper"
	phrtypes "github.com/medexchain/medexchain/x/phr/types"
	phrv2 "github.com/medexchain/medexchain/x/phr/v2"
)

// moduleAccountPermissions lists every module account and what it may do.
var moduleAccountPermissions = map[string][]string{
	authtypes.FeeCollectorName:     nil,
	distrtypes.ModuleName:          nil,
	stakingtypes.BondedPoolName:    {authtypes.Burner, authtypes.Staking},
	stakingtypes.NotBondedPoolName: {authtypes.Burner, authtypes.Staking},
	govtypes.ModuleName:            {authtypes.Burner},
	transfertypes.ModuleName:       {authtypes.Minter, authtypes.Burner},
}

var _ servertypes.Application = (*App)(nil)

// App is the medexchain application.
type App struct {
	*baseapp.BaseApp

	legacyAmino       *codec.LegacyAmino
	appCodec          codec.Codec
	txConfig          client.TxConfig
	interfaceRegistry types.InterfaceRegistry
	keys              map[string]*storetypes.KVStoreKey

	AccountKeeper   authkeeper.AccountKeeper
	BankKeeper      bankkeeper.BaseKeeper
	StakingKeeper   *stakingkeeper.Keeper
	SlashingKeeper  slashingkeeper.Keeper
	DistrKeeper     distrkeeper.Keeper
	GovKeeper       *govkeeper.Keeper
	UpgradeKeeper   *upgradekeeper.Keeper
	ConsensusKeeper consensuskeeper.Keeper
	IBCKeeper       *ibckeeper.Keeper
	TransferKeeper  *transferkeeper.Keeper
	AuditKeeper     auditkeeper.Keeper
	PhrKeeper       *phrkeeper.Keeper

	ModuleManager      *module.Manager
	BasicModuleManager module.BasicManager
	configurator       module.Configurator
}

// New builds the app. loadLatest is false only for tools that need the codecs
// and module list without a database (the CLI's root command).
func New(logger log.Logger, db dbm.DB, loadLatest bool, appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp)) *App {
	interfaceRegistry, err := types.NewInterfaceRegistryWithOptions(types.InterfaceRegistryOptions{
		ProtoFiles: proto.HybridResolver,
		SigningOptions: signing.Options{
			AddressCodec:          address.Bech32Codec{Bech32Prefix: sdk.GetConfig().GetBech32AccountAddrPrefix()},
			ValidatorAddressCodec: address.Bech32Codec{Bech32Prefix: sdk.GetConfig().GetBech32ValidatorAddrPrefix()},
		},
	})
	if err != nil {
		panic(err)
	}
	appCodec := codec.NewProtoCodec(interfaceRegistry)
	legacyAmino := codec.NewLegacyAmino()
	txConfig := authtx.NewTxConfig(appCodec, authtx.DefaultSignModes)
	std.RegisterLegacyAminoCodec(legacyAmino)
	std.RegisterInterfaces(interfaceRegistry)

	bApp := baseapp.NewBaseApp(Name, logger, db, txConfig.TxDecoder(), baseAppOptions...)
	bApp.SetVersion(version.Version)
	bApp.SetInterfaceRegistry(interfaceRegistry)
	bApp.SetTxEncoder(txConfig.TxEncoder())

	keys := storetypes.NewKVStoreKeys(
		authtypes.StoreKey, banktypes.StoreKey, stakingtypes.StoreKey, distrtypes.StoreKey,
		slashingtypes.StoreKey, govtypes.StoreKey, upgradetypes.StoreKey, consensustypes.StoreKey,
		ibcexported.StoreKey, transfertypes.StoreKey, audittypes.StoreKey, phrtypes.StoreKey,
	)
	if err := bApp.RegisterStreamingServices(appOpts, keys); err != nil {
		panic(err)
	}

	app := &App{
		BaseApp:           bApp,
		legacyAmino:       legacyAmino,
		appCodec:          appCodec,
		txConfig:          txConfig,
		interfaceRegistry: interfaceRegistry,
		keys:              keys,
	}
	app.initKeepers(appOpts, logger)
	app.initModules()

	app.MountKVStores(keys)
	app.SetInitChainer(app.InitChainer)
	app.SetPreBlocker(app.PreBlocker)
	app.SetBeginBlocker(app.BeginBlocker)
	app.SetEndBlocker(app.EndBlocker)
	anteHandler, err := NewAnteHandler(AnteOptions{
		HandlerOptions: authante.HandlerOptions{
			AccountKeeper:   app.AccountKeeper,
			BankKeeper:      app.BankKeeper,
			SignModeHandler: txConfig.SignModeHandler(),
			SigGasConsumer:  authante.DefaultSigVerificationGasConsumer,
		},
		IBCKeeper: app.IBCKeeper,
		Members:   app.PhrKeeper,
		Firewall:  app.PhrKeeper,
	})
	if err != nil {
		panic(err)
	}
	app.SetAnteHandler(anteHandler)

	protoFiles, err := proto.MergedRegistry()
	if err != nil {
		panic(err)
	}
	if err := msgservice.ValidateProtoAnnotations(protoFiles); err != nil {
		panic(fmt.Errorf("proto annotations: %w", err))
	}

	if loadLatest {
		if err := app.LoadLatestVersion(); err != nil {
			panic(fmt.Errorf("loading the latest version: %w", err))
		}
	}
	return app
}

// initKeepers builds every keeper; the order follows their dependencies.
func (app *App) initKeepers(appOpts servertypes.AppOptions, logger log.Logger) {
	cdc, keys := app.appCodec, app.keys
	govAuthority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	store := func(name string) corestore.KVStoreService { return runtime.NewKVStoreService(keys[name]) }
	accountCodec := authcodec.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix())

	app.ConsensusKeeper = consensuskeeper.NewKeeper(cdc, store(consensustypes.StoreKey), govAuthority, runtime.EventService{})
	app.SetParamStore(app.ConsensusKeeper.ParamsStore)

	app.AccountKeeper = authkeeper.NewAccountKeeper(cdc, store(authtypes.StoreKey), authtypes.ProtoBaseAccount,
		moduleAccountPermissions, accountCodec, sdk.GetConfig().GetBech32AccountAddrPrefix(), govAuthority)
	app.BankKeeper = bankkeeper.NewBaseKeeper(cdc, store(banktypes.StoreKey), app.AccountKeeper,
		BlockedAddresses(), govAuthority, logger)
	app.StakingKeeper = stakingkeeper.NewKeeper(cdc, store(stakingtypes.StoreKey), app.AccountKeeper, app.BankKeeper, govAuthority,
		authcodec.NewBech32Codec(sdk.GetConfig().GetBech32ValidatorAddrPrefix()),
		authcodec.NewBech32Codec(sdk.GetConfig().GetBech32ConsensusAddrPrefix()))
	app.DistrKeeper = distrkeeper.NewKeeper(cdc, store(distrtypes.StoreKey), app.AccountKeeper, app.BankKeeper,
		app.StakingKeeper, authtypes.FeeCollectorName, govAuthority)
	app.SlashingKeeper = slashingkeeper.NewKeeper(cdc, app.legacyAmino, store(slashingtypes.StoreKey), app.StakingKeeper, govAuthority)
	app.StakingKeeper.SetHooks(stakingtypes.NewMultiStakingHooks(app.DistrKeeper.Hooks(), app.SlashingKeeper.Hooks()))

	skipUpgradeHeights := map[int64]bool{}
	for _, h := range cast.ToIntSlice(appOpts.Get(server.FlagUnsafeSkipUpgrades)) {
		skipUpgradeHeights[int64(h)] = true
	}
	app.UpgradeKeeper = upgradekeeper.NewKeeper(skipUpgradeHeights, store(upgradetypes.StoreKey), cdc,
		cast.ToString(appOpts.Get(flags.FlagHome)), app.BaseApp, govAuthority)

	app.GovKeeper = govkeeper.NewKeeper(cdc, store(govtypes.StoreKey), app.AccountKeeper, app.BankKeeper,
		app.DistrKeeper, app.MsgServiceRouter(), govtypes.DefaultConfig(), govAuthority,
		govkeeper.NewDefaultCalculateVoteResultsAndVotingPower(app.StakingKeeper))

	app.AuditKeeper = auditkeeper.NewKeeper(cdc, store(audittypes.StoreKey), govAuthority)
	app.PhrKeeper = phrkeeper.NewKeeper(cdc, store(phrtypes.StoreKey), accountCodec, govAuthority, app.AuditKeeper)

	app.initIBC(govAuthority)
}

// initIBC wires IBC core, the light clients and ICS-20 on both the classic
// (v1, channel handshake) and the v2 (client pairs) routers.
func (app *App) initIBC(govAuthority string) {
	cdc, keys := app.appCodec, app.keys
	app.IBCKeeper = ibckeeper.NewKeeper(cdc, runtime.NewKVStoreService(keys[ibcexported.StoreKey]), app.UpgradeKeeper, govAuthority)
	app.TransferKeeper = transferkeeper.NewKeeper(cdc, app.AccountKeeper.AddressCodec(),
		runtime.NewKVStoreService(keys[transfertypes.StoreKey]), app.IBCKeeper.ChannelKeeper,
		app.MsgServiceRouter(), app.AccountKeeper, app.BankKeeper, govAuthority)

	router := porttypes.NewRouter()
	router.AddRoute(transfertypes.ModuleName, transfer.NewIBCModule(app.TransferKeeper))
	// phr sends through the channel keeper directly (SetIBC below): no middleware
	router.AddRoute(phrtypes.PortID, phr.NewIBCModule(app.PhrKeeper, app.IBCKeeper.ChannelKeeper))
	routerV2 := ibcapi.NewRouter()
	routerV2.AddRoute(transfertypes.PortID, transferv2.NewIBCModule(app.TransferKeeper))
	routerV2.AddRoute(phrtypes.PortID, phrv2.NewIBCModule(app.PhrKeeper))
	app.IBCKeeper.SetRouter(router)
	app.IBCKeeper.SetRouterV2(routerV2)

	storeProvider := app.IBCKeeper.ClientKeeper.GetStoreProvider()
	tm := ibctm.NewLightClientModule(cdc, storeProvider)
	app.IBCKeeper.ClientKeeper.AddRoute(ibctm.ModuleName, &tm)
	sm := solomachine.NewLightClientModule(cdc, storeProvider)
	app.IBCKeeper.ClientKeeper.AddRoute(solomachine.ModuleName, &sm)

	app.PhrKeeper.SetIBC(app.IBCKeeper.ChannelKeeper, app.IBCKeeper.ClientKeeper, app.IBCKeeper.ChannelKeeper,
		app.MsgServiceRouter(), authtypes.NewModuleAddress(phrtypes.ModuleName))
}

// BlockedAddresses are the module accounts that may not receive funds directly.
func BlockedAddresses() map[string]bool {
	blocked := make(map[string]bool)
	for name := range maps.Keys(moduleAccountPermissions) {
		blocked[authtypes.NewModuleAddress(name).String()] = true
	}
	delete(blocked, authtypes.NewModuleAddress(govtypes.ModuleName).String())
	return blocked
}

// PreBlocker runs the modules' pre-blockers (upgrades) before a block.
func (app *App) PreBlocker(ctx sdk.Context, _ *abci.RequestFinalizeBlock) (*sdk.ResponsePreBlock, error) {
	return app.ModuleManager.PreBlock(ctx)
}

// BeginBlocker runs the modules' begin blockers in the order of modules.go.
func (app *App) BeginBlocker(ctx sdk.Context) (sdk.BeginBlock, error) {
	return app.ModuleManager.BeginBlock(ctx)
}

// EndBlocker runs the modules' end blockers in the order of modules.go.
func (app *App) EndBlocker(ctx sdk.Context) (sdk.EndBlock, error) {
	return app.ModuleManager.EndBlock(ctx)
}

// InitChainer loads every module's genesis in the order of modules.go.
func (app *App) InitChainer(ctx sdk.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	var genesis map[string]json.RawMessage
	if err := json.Unmarshal(req.AppStateBytes, &genesis); err != nil {
		return nil, fmt.Errorf("genesis app state: %w", err)
	}
	if err := app.UpgradeKeeper.SetModuleVersionMap(ctx, app.ModuleManager.GetVersionMap()); err != nil {
		return nil, err
	}
	return app.ModuleManager.InitGenesis(ctx, app.appCodec, genesis)
}

// LoadHeight loads a particular height (used by export).
func (app *App) LoadHeight(height int64) error { return app.LoadVersion(height) }

// LegacyAmino is the app's amino codec (legacy JSON signing).
func (app *App) LegacyAmino() *codec.LegacyAmino { return app.legacyAmino }

// AppCodec is the app's protobuf codec.
func (app *App) AppCodec() codec.Codec { return app.appCodec }

// InterfaceRegistry is the app's registry of interface implementations.
func (app *App) InterfaceRegistry() types.InterfaceRegistry { return app.interfaceRegistry }

// TxConfig is the app's tx encoding and signing configuration.
func (app *App) TxConfig() client.TxConfig { return app.txConfig }

// GetKey is the KV store key of a module's store.
func (app *App) GetKey(name string) *storetypes.KVStoreKey { return app.keys[name] }

// DefaultGenesis is every module's genesis of a new chain.
func (app *App) DefaultGenesis() map[string]json.RawMessage {
	return app.BasicModuleManager.DefaultGenesis(app.appCodec)
}

// GetBaseApp is the app's baseapp (for ibctesting).
func (app *App) GetBaseApp() *baseapp.BaseApp { return app.BaseApp }

// GetIBCKeeper is the IBC core keeper (for ibctesting).
func (app *App) GetIBCKeeper() *ibckeeper.Keeper { return app.IBCKeeper }

// GetTxConfig is TxConfig under the name ibctesting calls.
func (app *App) GetTxConfig() client.TxConfig { return app.txConfig }

// Configurator is the module configurator of services and migrations.
func (app *App) Configurator() module.Configurator { return app.configurator }
