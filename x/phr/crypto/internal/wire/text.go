package wire

import "unicode/utf8"

// Printable reports whether s is 1..max bytes of valid UTF-8 with no
// control character (C0, DEL, C1): the rule for every identifier the suite
// encodes (chain id, vault, device id).
func Printable(s string, max int) bool {
	if len(s) == 0 || len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) {
			return false
		}
	}
	return true
}
