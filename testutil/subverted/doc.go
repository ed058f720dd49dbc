// Package subverted models algorithm-substitution attacks on medexchain
// devices and decryptor-side channels: devices whose code has been replaced
// by an adversary who wants to exfiltrate one secret bit per record to an
// accomplice, while producing outputs that still decrypt and verify.
//
// Every model shares a subversion key with its accomplice (the observer).
// The accomplice decodes with KeyedBit; a model "leaks" when the decoded bit
// equals the bit the device meant to send.
//
// Channels modelled (one bit per record):
//   - RejectionDevice: a keyed hash of its ciphertext bytes, steered by
//     rejection sampling of its randomness (Bellare–Paterson–Rogaway style
//     algorithm substitution);
//   - SteerCapsule: one point of its capsule alone (E or F), steered by
//     redrawing r while M, and so the body, stay honest;
//   - LengthDevice: its choice of body length (fine-grained or bucket choice);
//   - TimeDevice: the low bit of the time it reports;
//   - CapsuleCountDevice: the number of capsules it emits;
//   - ChooseM: its choice of the capsule's M (visible to every decryptor);
//   - NonceSigner: the Ed25519 nonce R, chosen by rejection sampling, still
//     producing valid signatures (visible to every decryptor).
//
// Randomness comes from a caller-supplied io.Reader so that experiments are
// deterministic under a fixed seed (see SeededReader).
//
// Pure Go, no Cosmos imports.
package subverted
