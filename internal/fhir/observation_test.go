package fhir

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var testCtx = Context{
	Patient:   "medex1qy352eufqy352eufqy352eufqy352eufhpgcch",
	DeviceID:  "pulse-ox:01",
	Sequence:  7,
	Effective: time.Date(2026, 3, 4, 10, 11, 12, 345_000_000, time.UTC),
}

func mustBuild(t *testing.T, k Kind) *Observation {
	t.Helper()
	var o *Observation
	var err error
	switch k {
	case KindHeartRate:
		o, err = HeartRate(testCtx, 72, PulseOximeter)
	case KindOxygenSaturation:
		o, err = OxygenSaturation(testCtx, 97)
	case KindBloodPressure:
		o, err = BloodPressure(testCtx, 121, 79)
	}
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestRoundTrip: every kind marshals to JSON that parses back strictly, to
// the same kind, and re-marshals to the same bytes.
func TestRoundTrip(t *testing.T) {
	for _, k := range []Kind{KindHeartRate, KindOxygenSaturation, KindBloodPressure} {
		t.Run(k.String(), func(t *testing.T) {
			b, err := mustBuild(t, k).Marshal()
			if err != nil {
				t.Fatal(err)
			}
			o, got, err := Parse(b)
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, b)
			}
			if got != k {
				t.Fatalf("kind %v, want %v", got, k)
			}
			b2, err := o.Marshal()
			if err != nil || string(b2) != string(b) {
				t.Fatalf("re-marshal differs (%v):\n%s\n%s", err, b, b2)
			}
		})
	}
}

// generic is the JSON as any FHIR reader sees it (no Go types).
func generic(t *testing.T, k Kind) map[string]any {
	t.Helper()
	b, err := mustBuild(t, k).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func codingSet(t *testing.T, concept any) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, c := range concept.(map[string]any)["coding"].([]any) {
		m := c.(map[string]any)
		out[m["system"].(string)+"|"+m["code"].(string)] = true
	}
	return out
}

// TestShape checks the FHIR R4 elements a vital-signs reader relies on, on
// the generic JSON: resource type, status, category, LOINC and MDC codes,
// subject, effective time, UCUM quantities.
func TestShape(t *testing.T) {
	for _, k := range []Kind{KindHeartRate, KindOxygenSaturation, KindBloodPressure} {
		m := generic(t, k)
		if m["resourceType"] != "Observation" || m["status"] != "final" {
			t.Fatalf("%v: resourceType/status %v %v", k, m["resourceType"], m["status"])
		}
		cat := codingSet(t, m["category"].([]any)[0])
		if !cat[SystemCategory+"|vital-signs"] {
			t.Fatalf("%v: category %v", k, cat)
		}
		if m["subject"].(map[string]any)["reference"] != "Patient/"+testCtx.Patient {
			t.Fatalf("%v: subject %v", k, m["subject"])
		}
		if m["effectiveDateTime"] != "2026-03-04T10:11:12.345Z" {
			t.Fatalf("%v: effectiveDateTime %v", k, m["effectiveDateTime"])
		}
	}

	hr := generic(t, KindHeartRate)
	if c := codingSet(t, hr["code"]); !c["http://loinc.org|8867-4"] || !c["urn:iso:std:iso:11073:10101|149530"] {
		t.Fatalf("heart rate codes %v", c)
	}
	if q := hr["valueQuantity"].(map[string]any); q["value"] != 72.0 || q["system"] != "http://unitsofmeasure.org" || q["code"] != "/min" {
		t.Fatalf("heart rate quantity %v", q)
	}

	sp := generic(t, KindOxygenSaturation)
	c := codingSet(t, sp["code"])
	if !c["http://loinc.org|2708-6"] || !c["http://loinc.org|59408-5"] || !c["urn:iso:std:iso:11073:10101|150456"] {
		t.Fatalf("spo2 codes %v", c)
	}
	if q := sp["valueQuantity"].(map[string]any); q["value"] != 97.0 || q["code"] != "%" {
		t.Fatalf("spo2 quantity %v", q)
	}

	bp := generic(t, KindBloodPressure)
	if c := codingSet(t, bp["code"]); !c["http://loinc.org|85354-9"] {
		t.Fatalf("bp codes %v", c)
	}
	if _, ok := bp["valueQuantity"]; ok {
		t.Fatal("bp panel has a valueQuantity")
	}
	comps := bp["component"].([]any)
	want := []struct {
		loinc, mdc string
		value      float64
	}{{"8480-6", "150021", 121}, {"8462-4", "150022", 79}}
	for i, w := range want {
		cm := comps[i].(map[string]any)
		cs := codingSet(t, cm["code"])
		q := cm["valueQuantity"].(map[string]any)
		if !cs["http://loinc.org|"+w.loinc] || !cs["urn:iso:std:iso:11073:10101|"+w.mdc] || q["value"] != w.value || q["code"] != "mm[Hg]" {
			t.Fatalf("bp component %d: %v %v", i, cs, q)
		}
	}
}

func TestECGHeartRateCode(t *testing.T) {
	o, err := HeartRate(testCtx, 80, ECG)
	if err != nil {
		t.Fatal(err)
	}
	if !codes(o.Code, SystemMDC)[MDCECGHeartRate] {
		t.Fatalf("ECG source not coded as MDC_ECG_HEART_RATE: %+v", o.Code)
	}
	if _, err := o.Marshal(); err != nil {
		t.Fatal(err)
	}
}

// TestBuilderRefusals: implausible values and bad context never build.
func TestBuilderRefusals(t *testing.T) {
	bad := testCtx
	bad.Patient = "not/an id"
	cases := map[string]func() error{
		"hr low":        func() error { _, err := HeartRate(testCtx, 5, PulseOximeter); return err },
		"spo2 high":     func() error { _, err := OxygenSaturation(testCtx, 101); return err },
		"bp inverted":   func() error { _, err := BloodPressure(testCtx, 80, 120); return err },
		"bp range":      func() error { _, err := BloodPressure(testCtx, 500, 80); return err },
		"patient id":    func() error { _, err := HeartRate(bad, 70, PulseOximeter); return err },
		"zero time":     func() error { c := testCtx; c.Effective = time.Time{}; _, err := HeartRate(c, 70, ECG); return err },
		"empty device":  func() error { c := testCtx; c.DeviceID = ""; _, err := HeartRate(c, 70, ECG); return err },
		"unknown kind":  func() error { _, err := ParseKind("glucose"); return err },
		"bad decimal 1": func() error { _, err := ParseDecimal("01"); return err },
		"bad decimal 2": func() error { _, err := ParseDecimal("1."); return err },
	}
	for name, f := range cases {
		if f() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestParseRefusals: the validator names what is wrong in resources that
// are not valid vital signs.
func TestParseRefusals(t *testing.T) {
	good, err := mustBuild(t, KindHeartRate).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	goodBP, err := mustBuild(t, KindBloodPressure).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	s, sbp := string(good), string(goodBP)
	cases := []struct{ name, doc, want string }{
		{"resource type", strings.Replace(s, `"Observation"`, `"Patient"`, 1), "resourceType"},
		{"status", strings.Replace(s, `"final"`, `"done"`, 1), "status"},
		{"category", strings.Replace(s, `"vital-signs"`, `"laboratory"`, 1), "vital-signs"},
		{"unit", strings.Replace(s, `"/min"`, `"/s"`, 1), "unit"},
		{"no mdc", strings.Replace(s, `"149530"`, `"12345"`, 1), "IEEE 11073"},
		{"loinc", strings.Replace(s, `"8867-4"`, `"1234-5"`, 1), "LOINC"},
		{"subject", strings.Replace(s, `"Patient/`, `"Person/`, 1), "subject"},
		{"date no zone", strings.Replace(s, `.345Z"`, `.345"`, 1), "effectiveDateTime"},
		{"quoted value", strings.Replace(s, `"value":72`, `"value":"72"`, 1), "decimal"},
		{"unknown field", strings.Replace(s, `"status"`, `"secret":"x","status"`, 1), "unknown field"},
		{"trailing", s + `{}`, "after the resource"},
		{"bp no diastolic", strings.Replace(sbp, `"8462-4"`, `"8480-6"`, 1), "repeats"},
		{"bp component mdc", strings.Replace(sbp, `"150022"`, `"150021"`, 1), "150022"},
		{"not json", "hello", "not an Observation"},
	}
	for _, c := range cases {
		_, _, err := Parse([]byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.name, err, c.want)
		}
	}
	if _, _, err := Parse(make([]byte, MaxSize+1)); err == nil {
		t.Error("oversize resource accepted")
	}
}
