package fhir

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
)

// The subset of FHIR R4 datatypes an Observation of this package uses. Field
// order follows the FHIR JSON examples, so the output reads like one.

// Coding is a code from a code system.
type Coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is one concept in one or more code systems.
type CodeableConcept struct {
	Coding []Coding `json:"coding"`
	Text   string   `json:"text,omitempty"`
}

// Quantity is a measured amount with a UCUM unit.
type Quantity struct {
	Value  Decimal `json:"value"`
	Unit   string  `json:"unit"`
	System string  `json:"system"`
	Code   string  `json:"code"`
}

// Identifier is a business identifier.
type Identifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

// Reference points at another resource, by relative URL or by identifier.
type Reference struct {
	Reference  string      `json:"reference,omitempty"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

// Component is one part of a multi-part observation (blood pressure).
type Component struct {
	Code          CodeableConcept `json:"code"`
	ValueQuantity *Quantity       `json:"valueQuantity,omitempty"`
}

// ResourceMeta carries the profiles the resource claims to conform to.
type ResourceMeta struct {
	Profile []string `json:"profile,omitempty"`
}

// Observation is a FHIR R4 Observation restricted to what vital signs need.
type Observation struct {
	ResourceType      string            `json:"resourceType"`
	Meta              *ResourceMeta     `json:"meta,omitempty"`
	Identifier        []Identifier      `json:"identifier,omitempty"`
	Status            string            `json:"status"`
	Category          []CodeableConcept `json:"category"`
	Code              CodeableConcept   `json:"code"`
	Subject           Reference         `json:"subject"`
	EffectiveDateTime string            `json:"effectiveDateTime"`
	ValueQuantity     *Quantity         `json:"valueQuantity,omitempty"`
	Component         []Component       `json:"component,omitempty"`
	Device            *Reference        `json:"device,omitempty"`
}

// Decimal is a FHIR decimal kept as its exact JSON number text: FHIR requires
// the precision of a decimal to be preserved, and text never rounds.
type Decimal string

// decimalPattern is FHIR R4's decimal regex.
var decimalPattern = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// DecimalInt is the decimal of an integer.
func DecimalInt(v int64) Decimal { return Decimal(strconv.FormatInt(v, 10)) }

// ParseDecimal checks s against the FHIR decimal syntax.
func ParseDecimal(s string) (Decimal, error) {
	if len(s) == 0 || len(s) > 32 || !decimalPattern.MatchString(s) {
		return "", fmt.Errorf("fhir: %q is not a FHIR decimal", s)
	}
	return Decimal(s), nil
}

// MarshalJSON writes the number text unquoted.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if _, err := ParseDecimal(string(d)); err != nil {
		return nil, err
	}
	return []byte(d), nil
}

// UnmarshalJSON accepts a JSON number only (a quoted "72" is not a FHIR
// decimal).
func (d *Decimal) UnmarshalJSON(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

var _ json.Marshaler = Decimal("")
