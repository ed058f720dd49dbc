package wire

import (
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	const max = 16
	for s, want := range map[string]bool{
		"vitals":                   true,
		"pulse-ox 0001 é":          true, // 16 bytes, non-ASCII letter
		strings.Repeat("a", max+1): false,
		"":                         false,
		"a\x00b":                   false, // C0
		"a\nb":                     false,
		"a\x7fb":                   false, // DEL
		"a\u0085b":                 false, // C1
		"a\xffb":                   false, // invalid UTF-8
	} {
		if got := Printable(s, max); got != want {
			t.Errorf("Printable(%q) = %v, want %v", s, got, want)
		}
	}
}
