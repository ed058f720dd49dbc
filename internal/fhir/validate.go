package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// MaxSize bounds a resource this package parses; the largest envelope
// bucket is 64 KiB, and a vital sign is well under 2 KiB.
const MaxSize = 64 << 10

// observationStatus is FHIR R4's ObservationStatus value set.
var observationStatus = map[string]bool{
	"registered": true, "preliminary": true, "final": true, "amended": true,
	"corrected": true, "cancelled": true, "entered-in-error": true, "unknown": true,
}

// dateTimePattern is FHIR R4's dateTime with a time part: a time needs a
// zone.
var dateTimePattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$`)

var patientReference = regexp.MustCompile(`^Patient/[A-Za-z0-9\-.]{1,64}$`)

// Marshal validates o and returns its JSON.
func (o *Observation) Marshal() ([]byte, error) {
	if _, err := o.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep text as written; nothing here is rendered as HTML
	if err := enc.Encode(o); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Parse decodes an Observation strictly (no unknown fields, nothing after
// the object, at most MaxSize bytes) and validates it.
func Parse(b []byte) (*Observation, Kind, error) {
	if len(b) > MaxSize {
		return nil, 0, fmt.Errorf("fhir: resource of %d bytes exceeds %d", len(b), MaxSize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var o Observation
	if err := dec.Decode(&o); err != nil {
		return nil, 0, fmt.Errorf("fhir: not an Observation of this profile: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, 0, errors.New("fhir: data after the resource")
	}
	k, err := o.Validate()
	if err != nil {
		return nil, 0, err
	}
	return &o, k, nil
}

// Validate checks o against FHIR R4 and the HL7 vital-signs profile of its
// kind, and returns the kind. The errors name the offending element.
func (o *Observation) Validate() (Kind, error) {
	if o.ResourceType != ResourceType {
		return 0, fmt.Errorf("fhir: resourceType %q, want %q", o.ResourceType, ResourceType)
	}
	if !observationStatus[o.Status] {
		return 0, fmt.Errorf("fhir: status %q is not an ObservationStatus", o.Status)
	}
	if !hasCoding(o.Category, SystemCategory, "vital-signs") {
		return 0, errors.New("fhir: category must include vital-signs")
	}
	if err := checkConcept("code", o.Code); err != nil {
		return 0, err
	}
	for i, c := range o.Category {
		if err := checkConcept(fmt.Sprintf("category[%d]", i), c); err != nil {
			return 0, err
		}
	}
	if !patientReference.MatchString(o.Subject.Reference) {
		return 0, fmt.Errorf("fhir: subject.reference %q is not Patient/<id>", o.Subject.Reference)
	}
	if err := checkDateTime(o.EffectiveDateTime); err != nil {
		return 0, err
	}
	for i, id := range o.Identifier {
		if !absoluteURI(id.System) || id.Value == "" {
			return 0, fmt.Errorf("fhir: identifier[%d] needs a system URI and a value", i)
		}
	}
	if d := o.Device; d != nil && d.Reference == "" && (d.Identifier == nil || d.Identifier.Value == "") {
		return 0, errors.New("fhir: device must carry a reference or an identifier")
	}
	switch {
	case codes(o.Code, SystemLOINC)[LOINCHeartRate]:
		return KindHeartRate, o.checkSingle("heart rate", UCUMPerMinute, MDCPulsOximPulsRate, MDCECGHeartRate)
	case codes(o.Code, SystemLOINC)[LOINCOxygenSat], codes(o.Code, SystemLOINC)[LOINCOxygenSatPulseO]:
		return KindOxygenSaturation, o.checkSingle("SpO2", UCUMPercent, MDCPulsOximSatO2)
	case codes(o.Code, SystemLOINC)[LOINCBPPanel]:
		return KindBloodPressure, o.checkBloodPressure()
	}
	return 0, errors.New("fhir: code has none of the supported LOINC codes (8867-4, 2708-6, 59408-5, 85354-9)")
}

// checkSingle: a single valueQuantity in unit, coded with one of the MDC
// codes, no components.
func (o *Observation) checkSingle(what, unit string, mdcCodes ...string) error {
	if !anyOf(codes(o.Code, SystemMDC), mdcCodes) {
		return fmt.Errorf("fhir: %s code lacks its IEEE 11073 coding (%s)", what, strings.Join(mdcCodes, " or "))
	}
	if len(o.Component) != 0 {
		return fmt.Errorf("fhir: %s has components", what)
	}
	return checkQuantity(what, o.ValueQuantity, unit)
}

// checkBloodPressure: no value of its own; a systolic and a diastolic
// component, each once, in mm[Hg] with its MDC coding.
func (o *Observation) checkBloodPressure() error {
	if o.ValueQuantity != nil {
		return errors.New("fhir: blood pressure panel carries its values in components, not valueQuantity")
	}
	// a slice, not a map: errors come out in a fixed order
	need := []struct{ loinc, mdc string }{{LOINCSystolic, MDCPressBldNonInvSy}, {LOINCDiastolic, MDCPressBldNonInvDi}}
	seen := map[string]bool{}
	for i, c := range o.Component {
		where := fmt.Sprintf("component[%d]", i)
		if err := checkConcept(where+".code", c.Code); err != nil {
			return err
		}
		for _, n := range need {
			code, mdcCode := n.loinc, n.mdc
			if !codes(c.Code, SystemLOINC)[code] {
				continue
			}
			if seen[code] {
				return fmt.Errorf("fhir: %s repeats LOINC %s", where, code)
			}
			seen[code] = true
			if !codes(c.Code, SystemMDC)[mdcCode] {
				return fmt.Errorf("fhir: %s (LOINC %s) lacks IEEE 11073 code %s", where, code, mdcCode)
			}
			if err := checkQuantity(where, c.ValueQuantity, UCUMmmHg); err != nil {
				return err
			}
		}
	}
	for _, n := range need {
		if !seen[n.loinc] {
			return fmt.Errorf("fhir: blood pressure panel lacks the LOINC %s component", n.loinc)
		}
	}
	return nil
}

func checkQuantity(what string, q *Quantity, unit string) error {
	if q == nil {
		return fmt.Errorf("fhir: %s has no valueQuantity", what)
	}
	if _, err := ParseDecimal(string(q.Value)); err != nil {
		return fmt.Errorf("fhir: %s value: %w", what, err)
	}
	if q.System != SystemUCUM || q.Code != unit {
		return fmt.Errorf("fhir: %s unit %s|%s, want %s|%s", what, q.System, q.Code, SystemUCUM, unit)
	}
	return nil
}

func checkConcept(where string, c CodeableConcept) error {
	if len(c.Coding) == 0 {
		return fmt.Errorf("fhir: %s has no coding", where)
	}
	for i, cd := range c.Coding {
		if !absoluteURI(cd.System) || cd.Code == "" || strings.TrimSpace(cd.Code) != cd.Code {
			return fmt.Errorf("fhir: %s.coding[%d] needs a system URI and a code", where, i)
		}
	}
	return nil
}

func checkDateTime(s string) error {
	if !dateTimePattern.MatchString(s) {
		return fmt.Errorf("fhir: effectiveDateTime %q is not a FHIR dateTime with a time zone", s)
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return fmt.Errorf("fhir: effectiveDateTime %q: %v", s, err)
	}
	return nil
}

func absoluteURI(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "urn:")
}

// codes returns the set of codes of concept c in system.
func codes(c CodeableConcept, system string) map[string]bool {
	out := map[string]bool{}
	for _, cd := range c.Coding {
		if cd.System == system {
			out[cd.Code] = true
		}
	}
	return out
}

func hasCoding(cs []CodeableConcept, system, code string) bool {
	for _, c := range cs {
		if codes(c, system)[code] {
			return true
		}
	}
	return false
}

func anyOf(set map[string]bool, want []string) bool {
	for _, w := range want {
		if set[w] {
			return true
		}
	}
	return false
}

// Effective parses the observation's effectiveDateTime.
func (o *Observation) Effective() (time.Time, error) {
	if err := checkDateTime(o.EffectiveDateTime); err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, o.EffectiveDateTime)
}
