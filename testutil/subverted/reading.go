package subverted

import (
	"fmt"
	"strings"
	"time"
)

// FHIRReading returns a FHIR R4 Observation (heart rate) as JSON, padded
// with a note to exactly size+extra bytes (size ≥ 600). seq and t make readings
// distinct. extra adds that many bytes of whitespace inside the JSON (a
// device's "length choice" within the same bucket).
func FHIRReading(size int, seq uint64, t time.Time, extra int) []byte {
	head := fmt.Sprintf(`{"resourceType":"Observation","id":"obs-%d","status":"final",`+
		`"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],`+
		`"code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},`+
		`"subject":{"reference":"Patient/example"},"effectiveDateTime":"%s",`+
		`"valueQuantity":{"value":%d,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"},"note":[{"text":"`,
		seq, t.UTC().Format(time.RFC3339Nano), 60+seq%40)
	tail := `"}]}`
	n := size - len(head) - len(tail)
	if n < 0 {
		panic("subverted: reading size too small")
	}
	return []byte(head + strings.Repeat("x", n) + tail + strings.Repeat(" ", extra))
}
